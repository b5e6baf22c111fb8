import ClassroomCore

/// The collector's database: one interface, implemented by ``CollectorSQLiteStore`` (embedded, the
/// default) and ``CollectorPostgresStore`` (production), both checked by one conformance suite.
///
/// - Important: every method is one transaction; a thrown error means nothing was written.
///   Times are milliseconds since 1970 on the collector's clock, passed in by the caller.
public protocol CollectorStore: SpotCheckStore, ConsoleStore, DeviceDirectoryStore, LessonViewStore, RecordingStore,
    PatrolStore, EvaluationStore, AlertStore, EventRetentionStore
{
    /// Applies pending migrations (idempotent).
    func migrate() async throws

    // MARK: Operator tokens
    /// Stores a new operator token and its audit entry.
    func insertOperatorToken(_ token: OperatorTokenRecord, audit: AuditEntry) async throws
    /// The token with this secret hash, revoked or not.
    func operatorToken(secretHash: String) async throws -> OperatorTokenRecord?
    /// Tokens, all or those bound to one school, oldest first.
    func operatorTokens(schoolID: String?) async throws -> [OperatorTokenRecord]
    /// The token with this id, revoked or not.
    func operatorToken(id: String) async throws -> OperatorTokenRecord?
    /// Marks a token revoked; false when there is no such unrevoked token.
    func revokeOperatorToken(id: String, at: Int64, audit: AuditEntry) async throws -> Bool

    // MARK: Enrollment and devices
    /// Stores a new enrollment token and its audit entry.
    func insertEnrollmentToken(_ token: EnrollmentTokenRecord, audit: AuditEntry) async throws
    /// Atomically checks the enrollment token (known, unexpired, uses left, room in its school),
    /// counts one use and stores the device.
    func enroll(tokenHash: String, roomID: String, device: DeviceRecord, now: Int64) async throws -> EnrollOutcome
    /// The device holding this credential hash, revoked or not.
    func device(credentialHash: String) async throws -> DeviceRecord?
    func device(id: String) async throws -> DeviceRecord?
    /// Devices, all or one school's, ordered by id.
    func devices(schoolID: String?) async throws -> [DeviceRecord]
    /// Marks a device revoked; false when there is no such unrevoked device.
    func revokeDevice(id: String, at: Int64, audit: AuditEntry) async throws -> Bool
    /// Replaces the credential hash of an unrevoked device; false when there is none.
    func rotateDeviceCredential(id: String, credentialHash: String, audit: AuditEntry) async throws -> Bool
    /// Records that the device was heard from, and its clock skew when measured.
    func markSeen(deviceID: String, at: Int64, clockSkewMillis: Int64?) async throws
    /// Records the agent version a device's heartbeat reports (it changes when its package is upgraded).
    func setAgentVersion(deviceID: String, version: String) async throws

    // MARK: Events
    /// Stores events not stored before (by `(deviceID, seq)`) in one batched write.
    func appendEvents(_ events: [StoredEvent]) async throws -> AppendOutcome
    /// One upload in one go: stores new events, records the device as seen with its clock skew,
    /// and returns the counts with the device's highest stored `seq` (the ingest hot path).
    func ingest(_ events: [StoredEvent], deviceID: String, at: Int64, clockSkewMillis: Int64) async throws -> IngestOutcome
    /// The highest stored `seq` of a device, 0 when none.
    func highestEventSeq(deviceID: String) async throws -> Int64
    /// Stored events of a device in `seq` order (for reports and tests).
    func events(deviceID: String, afterSeq: Int64, limit: Int) async throws -> [StoredEvent]
    /// Events of the given kinds, all devices, whose corrected time `at` is in `from...through`,
    /// ordered by device, `at`, `seq` (the coverage report's evidence).
    func events(kinds: [String], from: Int64, through: Int64) async throws -> [StoredEvent]
    /// The events of ``events(kinds:from:through:)``, in no particular order, folded into `state` one
    /// by one as the database returns them, never all held at once (the coverage report at province
    /// scale reads millions of usage minutes).
    func reduceEvents<State: Sendable>(
        kinds: [String], from: Int64, through: Int64, into state: State,
        _ update: @escaping @Sendable (inout State, StoredEvent) throws -> Void
    ) async throws -> State
    /// The `usage_minute` events whose corrected time is in `from...through`, in no particular order,
    /// reduced to ``UsageMinuteRow`` by the database; bodies missing a field are left out.
    func reduceUsageMinutes<State: Sendable>(
        from: Int64, through: Int64, into state: State, _ update: @escaping @Sendable (inout State, UsageMinuteRow) throws -> Void
    ) async throws -> State

    /// The coverage read models (``CoverageReadModel``) of the window `from...through` (corrected
    /// time): per device its latest contact, latest inventory and active usage minutes, exactly what
    /// folding the window's events would give, without reading an event body.
    func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window

    // MARK: Commands
    /// Queues a command and its audit entry.
    func enqueueCommand(_ command: CommandRecord, audit: AuditEntry?) async throws
    /// Commands of the device not yet acknowledged, oldest first.
    func pendingCommands(deviceID: String) async throws -> [CommandRecord]
    /// Acknowledges the device's own commands among `ids`; returns how many were newly acknowledged.
    func acknowledgeCommands(deviceID: String, ids: [String], at: Int64) async throws -> Int
    /// Calls `handler` with the device of every command queued by any collector on this database,
    /// until cancelled. PostgreSQL: LISTEN/NOTIFY, so collectors behind one load balancer wake each
    /// other's long-polls. SQLite (one process): returns at once; the in-process notifier suffices.
    func watchCommands(_ handler: @escaping @Sendable (String) -> Void) async throws

    // MARK: Registry
    /// Replaces the whole registry atomically; devices whose room is gone are unbound (room nil).
    func replaceRegistry(_ registry: Registry, audit: AuditEntry) async throws -> RegistryReplaceOutcome
    /// The stored registry (empty when none was imported). Both stores keep it in memory between
    /// imports (``RegistryCache``): one single-row query while no collector imported since.
    func registry() async throws -> Registry
    /// The stored registry's term calendar alone (nil without one): cheap even when ``registry()`` is not cached.
    func termCalendar() async throws -> TermCalendar?
    /// The school of a room, nil when the room is unknown.
    func schoolOfRoom(_ roomID: String) async throws -> String?
    func schoolExists(_ schoolID: String) async throws -> Bool

    // MARK: Audit
    func appendAudit(_ entry: AuditEntry) async throws
}

extension CollectorStore {
    /// Newest first; one school's entries when `schoolID` is given (``ConsoleStore/auditLog(filter:limit:offset:)``).
    public func auditLog(schoolID: String?, limit: Int) async throws -> [AuditEntry] {
        try await auditLog(filter: AuditFilter(schoolID: schoolID), limit: limit, offset: 0)
    }
}

/// What became of an enrollment attempt.
public enum EnrollOutcome: Sendable, Hashable {
    case enrolled(DeviceRecord)
    case unknownToken
    case expired
    case exhausted
    case unknownRoom
    /// The room exists but belongs to another school than the token's.
    case roomOfOtherSchool
}

/// Counts of an event append.
public struct AppendOutcome: Sendable, Hashable {
    public var inserted: Int
    public var duplicates: Int

    public init(inserted: Int, duplicates: Int) {
        self.inserted = inserted
        self.duplicates = duplicates
    }
}

/// Result of ``CollectorStore/ingest(_:deviceID:at:clockSkewMillis:)``.
public struct IngestOutcome: Sendable, Hashable {
    public var appended: AppendOutcome
    public var highestSeq: Int64

    public init(appended: AppendOutcome, highestSeq: Int64) {
        self.appended = appended
        self.highestSeq = highestSeq
    }
}

/// Counts of a registry replacement.
public struct RegistryReplaceOutcome: Codable, Sendable, Hashable {
    public var schools: Int
    public var rooms: Int
    public var teachers: Int
    public var lessons: Int
    /// Devices whose room no longer exists; they stay enrolled without a room.
    public var devicesUnbound: Int

    public init(schools: Int, rooms: Int, teachers: Int, lessons: Int, devicesUnbound: Int) {
        self.schools = schools
        self.rooms = rooms
        self.teachers = teachers
        self.lessons = lessons
        self.devicesUnbound = devicesUnbound
    }

    enum CodingKeys: String, CodingKey {
        case schools, rooms, teachers, lessons
        case devicesUnbound = "devices_unbound"
    }
}

/// A store failure: an opaque code and a human message (mapped to HTTP only in the route layer).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
