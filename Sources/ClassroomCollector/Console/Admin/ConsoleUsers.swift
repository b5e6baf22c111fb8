import Foundation
import HummingbirdBcrypt

/// Console accounts: create, change password, disable — one code path for
/// `classroom-collector user …` and `/admin`. The caller has already decided that the actor may do it.
public struct ConsoleUsers: Sendable {
    let store: any CollectorStore
    let now: @Sendable () -> Int64
    /// bcrypt cost (``ConsoleConfiguration/bcryptCost``).
    let cost: UInt8

    public init(store: any CollectorStore, now: @escaping @Sendable () -> Int64 = collectorNow, cost: UInt8 = 12) {
        self.store = store
        self.now = now
        self.cost = cost
    }

    /// Shortest password accepted.
    public static let minimumPasswordLength = 8

    /// Creates an enabled user; the password is stored as a bcrypt hash only. `teacherID` links the
    /// user to a registry teacher (a principal's views then count for that teacher's observation
    /// quota); a school admin's teacher must be of its school.
    public func create(
        username: String, password: String, role: OperatorRole, schoolID: String?, actor: String, teacherID: String? = nil
    ) async throws -> ConsoleUserRecord {
        try Self.validate(username: username)
        try Self.validate(password: password)
        guard role != .countyAdmin else {
            // A console account has no county binding yet; a county admin signs in with its token.
            throw ConsoleUserError(
                "county_admin_not_supported", "county_admin is a token role only (classroom-collector token create --county)")
        }
        if role == .schoolAdmin {
            guard let schoolID else { throw ConsoleUserError("school_required", "a school_admin needs a school") }
            guard try await store.schoolExists(schoolID) else {
                throw ConsoleUserError("unknown_school", "no school '\(schoolID)' in the registry")
            }
        } else if schoolID != nil {
            throw ConsoleUserError("school_not_allowed", "only a school_admin has a school")
        }
        if let teacherID {
            guard let teacher = try await store.registry().teachersByID()[teacherID] else {
                throw ConsoleUserError("unknown_teacher", "no teacher '\(teacherID)' in the registry")
            }
            if let schoolID, teacher.schoolID != schoolID {
                throw ConsoleUserError(
                    "teacher_of_other_school", "teacher '\(teacherID)' is of school \(teacher.schoolID), not \(schoolID)")
            }
        }
        let t = now()
        let user = ConsoleUserRecord(
            id: Secrets.newID(), username: username, role: role, schoolID: schoolID,
            passwordHash: Bcrypt.hash(password, cost: cost), createdAt: t, createdBy: actor, teacherID: teacherID)
        do {
            try await store.insertConsoleUser(
                user,
                audit: AuditEntry(
                    at: t, actor: actor, action: "user.create", target: "user:\(username)", schoolID: schoolID,
                    detail: role.rawValue + (teacherID.map { " teacher:\($0)" } ?? "")))
        } catch let error as StoreError where error.code == "duplicate" {
            throw ConsoleUserError("duplicate", "a user '\(username)' exists already")
        }
        return user
    }

    /// Sets a new password and enables the user again; its sessions end.
    public func setPassword(username: String, password: String, actor: String) async throws {
        try Self.validate(password: password)
        guard let user = try await store.consoleUser(username: username) else {
            throw ConsoleUserError("unknown_user", "no user '\(username)'")
        }
        _ = try await store.setConsoleUserPassword(
            id: user.id, passwordHash: Bcrypt.hash(password, cost: cost), enable: true,
            audit: AuditEntry(
                at: now(), actor: actor, action: "user.password", target: "user:\(username)", schoolID: user.schoolID,
                detail: user.disabledAt == nil ? "" : "re-enabled"))
    }

    /// Disables the user (it can no longer sign in; its sessions end).
    public func disable(_ user: ConsoleUserRecord, actor: String) async throws {
        let done = try await store.disableConsoleUser(
            id: user.id, at: now(),
            audit: AuditEntry(
                at: now(), actor: actor, action: "user.disable", target: "user:\(user.username)", schoolID: user.schoolID,
                detail: user.role.rawValue))
        guard done else { throw ConsoleUserError("already_disabled", "user '\(user.username)' is already disabled") }
    }

    /// 1–64 letters, digits, `.`, `_`, `-` (Chinese letters too).
    static func validate(username: String) throws {
        let allowed = username.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
        guard (1...64).contains(username.count), allowed else {
            throw ConsoleUserError("bad_username", "username '\(username)': 1–64 letters, digits, '.', '_' or '-'")
        }
    }

    static func validate(password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw ConsoleUserError("short_password", "the password must have at least \(minimumPasswordLength) characters")
        }
        guard password.utf8.count <= 72 else {
            // bcrypt reads 72 bytes; a longer password would be silently cut.
            throw ConsoleUserError("long_password", "the password must be at most 72 bytes (bcrypt's limit)")
        }
    }
}

/// A refused account change: an opaque code and an English message.
public struct ConsoleUserError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}
