import ClassroomCore
import Synchronization

/// Operator tokens, the command queue, the registry and the audit log held in memory: the same
/// contracts as the SQLite and PostgreSQL stores (`RepositoryConformanceTests` runs all three), for
/// parts and tests that need these concerns without a database. ``CommandDispatcher`` takes a
/// ``CommandQueueRepository``; the token, audit and registry routes (``OperatorTokenAPI``,
/// ``RegistryAPI``) and the bearer check (``Authenticator``) take only the repositories they use, so
/// their route tests run on one of these (`OperatorTokenRoutesInMemoryTests`).
///
/// - Important: nothing survives the process; one transaction per call, like the stores (a refused
///   write changes nothing, its audit entry included). No devices: a registry import unbinds none.
public final class InMemoryRepositories: OperatorTokenRepository, CommandQueueRepository, RegistryRepository,
    AuditRepository, Sendable
{
    /// Everything held, behind one lock so that a write and its audit entry are one transaction.
    /// Only this type's extensions touch it.
    struct State {
        var tokens: [String: OperatorTokenRecord] = [:]
        var commands: [String: CommandRecord] = [:]
        /// As the stores return it (``RegistryRows/stored(_:)``); empty before an import.
        var registry = Registry(schools: [], rooms: [], teachers: [], lessons: [])
        /// The school of each room of ``registry``, and its schools' ids.
        var roomSchools: [String: String] = [:]
        var schoolIDs: Set<String> = []
        /// Oldest first; an entry's id is its index + 1, as the stores' serial ids.
        var audit: [AuditEntry] = []
    }

    let state = Mutex(State())

    public init() {}

    // MARK: Operator tokens

    public func insertOperatorToken(_ token: OperatorTokenRecord, audit: AuditEntry) async throws {
        try state.withLock { s in
            guard s.tokens[token.id] == nil else { throw Self.duplicate("operator token", token.id) }
            guard !s.tokens.values.contains(where: { $0.secretHash == token.secretHash }) else {
                throw Self.duplicate("operator token secret", token.id)
            }
            s.tokens[token.id] = token
            s.audit.append(audit)
        }
    }

    public func operatorToken(secretHash: String) async throws -> OperatorTokenRecord? {
        state.withLock { s in s.tokens.values.first { $0.secretHash == secretHash } }
    }

    public func operatorTokens(schoolID: String?) async throws -> [OperatorTokenRecord] {
        state.withLock { s in
            s.tokens.values.filter { schoolID == nil || $0.schoolID == schoolID }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    public func operatorToken(id: String) async throws -> OperatorTokenRecord? {
        state.withLock { s in s.tokens[id] }
    }

    public func revokeOperatorToken(id: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        state.withLock { s in
            guard var token = s.tokens[id], token.revokedAt == nil else { return false }
            token.revokedAt = at
            s.tokens[id] = token
            s.audit.append(audit)
            return true
        }
    }

    // MARK: Commands

    public func enqueueCommand(_ command: CommandRecord, audit: AuditEntry?) async throws {
        try state.withLock { s in
            guard s.commands[command.id] == nil else { throw Self.duplicate("command", command.id) }
            var queued = command
            queued.acknowledgedAt = nil
            s.commands[command.id] = queued
            if let audit { s.audit.append(audit) }
        }
    }

    public func pendingCommands(deviceID: String) async throws -> [CommandRecord] {
        state.withLock { s in
            s.commands.values.filter { $0.deviceID == deviceID && $0.acknowledgedAt == nil }
                .sorted { ($0.issuedAt, $0.id) < ($1.issuedAt, $1.id) }
        }
    }

    public func acknowledgeCommands(deviceID: String, ids: [String], at: Int64) async throws -> Int {
        state.withLock { s in
            var count = 0
            for id in Set(ids) {
                guard var command = s.commands[id], command.deviceID == deviceID, command.acknowledgedAt == nil else { continue }
                command.acknowledgedAt = at
                s.commands[id] = command
                count += 1
            }
            return count
        }
    }

    /// One process: nothing to watch (``CommandNotifier`` wakes the local long-polls).
    public func watchCommands(_ handler: @escaping @Sendable (String) -> Void) async throws {}

    // MARK: Audit

    public func appendAudit(_ entry: AuditEntry) async throws {
        state.withLock { s in s.audit.append(entry) }
    }

    public func auditLog(filter: AuditFilter, limit: Int, offset: Int) async throws -> [AuditEntry] {
        state.withLock { s in
            Array(s.audit.reversed().lazy.filter(filter.matches).dropFirst(max(offset, 0)).prefix(max(limit, 0)))
        }
    }

    private static func duplicate(_ what: String, _ id: String) -> StoreError {
        StoreError(code: "duplicate", message: "\(what) '\(id)' exists already")
    }
}
