/// What the console keeps in the collector's database: accounts, sessions and failed sign-ins.
/// Implemented by both stores (``CollectorSQLiteStore``, ``CollectorPostgresStore``); collectors
/// keep no console state in memory, so any collector behind a load balancer can answer a session.
///
/// - Important: every method is one transaction; times are milliseconds on the collector's clock.
public protocol ConsoleStore: Sendable {
    // MARK: Users
    /// Stores a new user and its audit entry; a `StoreError` with code `duplicate` when the
    /// username is taken.
    func insertConsoleUser(_ user: ConsoleUserRecord, audit: AuditEntry) async throws
    func consoleUser(username: String) async throws -> ConsoleUserRecord?
    func consoleUser(id: String) async throws -> ConsoleUserRecord?
    /// Users, all or those bound to one school, by username.
    func consoleUsers(schoolID: String?) async throws -> [ConsoleUserRecord]
    /// Replaces the password hash (and re-enables the user when `enable`); ends the user's sessions.
    /// False when there is no such user.
    func setConsoleUserPassword(id: String, passwordHash: String, enable: Bool, audit: AuditEntry) async throws -> Bool
    /// Disables the user and ends its sessions; false when there is no such enabled user.
    func disableConsoleUser(id: String, at: Int64, audit: AuditEntry) async throws -> Bool

    // MARK: Sessions
    func insertConsoleSession(_ session: ConsoleSessionRecord) async throws
    /// The session with this secret hash when it was used at or after `idleSince`; an older one is
    /// deleted and nil returned. A returned session's `lastSeenAt` becomes `now` when it is older
    /// than `touchAfter` milliseconds (fewer writes on busy pages).
    func consoleSession(secretHash: String, idleSince: Int64, now: Int64, touchAfter: Int64) async throws
        -> ConsoleSessionRecord?
    /// Ends a session (sign-out); its audit entry when given.
    func deleteConsoleSession(secretHash: String, audit: AuditEntry?) async throws

    // MARK: Failed sign-ins
    /// Records a failed sign-in from `address`, and returns how many failures that address has at or
    /// after `since` (this one included). `lockAudit` is written when that count reaches `lockAt`.
    func recordSignInFailure(address: String, at: Int64, since: Int64, lockAt: Int, lockAudit: AuditEntry)
        async throws -> Int
    /// The times of `address`'s failures at or after `since`, oldest first.
    func signInFailures(address: String, since: Int64) async throws -> [Int64]
    /// Forgets `address`'s failures (after a successful sign-in).
    func clearSignInFailures(address: String) async throws

    // MARK: Header
    /// The distinct county names of the registry's schools (at most `limit`), for the page header.
    func countyNames(limit: Int) async throws -> [String]
}
