import Foundation
import GRDB

extension CollectorSQLiteStore {
    // MARK: Users

    public func insertConsoleUser(_ u: ConsoleUserRecord, audit: AuditEntry) async throws {
        try await pool.write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM console_users WHERE username = ?", arguments: [u.username]) == nil
            else { throw StoreError(code: "duplicate", message: "a console user '\(u.username)' exists already") }
            try db.execute(
                sql: """
                    INSERT INTO console_users (id, username, role, school_id, password_hash, created_at, created_by, disabled_at,
                      teacher_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    u.id, u.username, u.role.rawValue, u.schoolID, u.passwordHash, u.createdAt, u.createdBy, u.disabledAt,
                    u.teacherID,
                ])
            try Self.insertAudit(db, audit)
        }
    }

    public func consoleUser(username: String) async throws -> ConsoleUserRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM console_users WHERE username = ?", arguments: [username]).map(
                Self.consoleUser)
        }
    }

    public func consoleUser(id: String) async throws -> ConsoleUserRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM console_users WHERE id = ?", arguments: [id]).map(Self.consoleUser)
        }
    }

    public func consoleUsers(schoolID: String?) async throws -> [ConsoleUserRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM console_users WHERE (? IS NULL OR school_id = ?) ORDER BY username",
                arguments: [schoolID, schoolID]
            ).map(Self.consoleUser)
        }
    }

    public func setConsoleUserPassword(id: String, passwordHash: String, enable: Bool, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE console_users SET password_hash = ?, disabled_at = CASE WHEN ? THEN NULL ELSE disabled_at END
                    WHERE id = ?
                    """,
                arguments: [passwordHash, enable, id])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "DELETE FROM console_sessions WHERE method = 'password' AND subject_id = ?", arguments: [id])
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func disableConsoleUser(id: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE console_users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL", arguments: [at, id])
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "DELETE FROM console_sessions WHERE method = 'password' AND subject_id = ?", arguments: [id])
            try Self.insertAudit(db, audit)
            return true
        }
    }

    // MARK: Sessions

    public func insertConsoleSession(_ s: ConsoleSessionRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO console_sessions (secret_hash, method, subject_id, csrf_token, created_at, last_seen_at, address)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [s.secretHash, s.method.rawValue, s.subjectID, s.csrfToken, s.createdAt, s.lastSeenAt, s.address])
        }
    }

    public func consoleSession(secretHash: String, idleSince: Int64, now: Int64, touchAfter: Int64) async throws
        -> ConsoleSessionRecord?
    {
        guard
            var session = try await pool.read({ db in
                try Row.fetchOne(db, sql: "SELECT * FROM console_sessions WHERE secret_hash = ?", arguments: [secretHash])
                    .map(Self.consoleSession)
            })
        else { return nil }
        if session.lastSeenAt < idleSince {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM console_sessions WHERE secret_hash = ?", arguments: [secretHash])
            }
            return nil
        }
        if now - session.lastSeenAt > touchAfter {
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE console_sessions SET last_seen_at = ? WHERE secret_hash = ?", arguments: [now, secretHash])
            }
            session.lastSeenAt = now
        }
        return session
    }

    public func deleteConsoleSession(secretHash: String, audit: AuditEntry?) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM console_sessions WHERE secret_hash = ?", arguments: [secretHash])
            if let audit { try Self.insertAudit(db, audit) }
        }
    }

    // MARK: Failed sign-ins

    public func recordSignInFailure(address: String, at: Int64, since: Int64, lockAt: Int, lockAudit: AuditEntry)
        async throws -> Int
    {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM console_sign_in_failures WHERE address = ? AND at < ?", arguments: [address, since])
            try db.execute(sql: "INSERT INTO console_sign_in_failures (address, at) VALUES (?, ?)", arguments: [address, at])
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM console_sign_in_failures WHERE address = ? AND at >= ?",
                    arguments: [address, since]) ?? 0
            if count == lockAt { try Self.insertAudit(db, lockAudit) }
            return count
        }
    }

    public func signInFailures(address: String, since: Int64) async throws -> [Int64] {
        try await pool.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT at FROM console_sign_in_failures WHERE address = ? AND at >= ? ORDER BY at",
                arguments: [address, since])
        }
    }

    public func clearSignInFailures(address: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM console_sign_in_failures WHERE address = ?", arguments: [address])
        }
    }

    public func countyNames(limit: Int) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT county FROM schools ORDER BY county LIMIT ?", arguments: [limit])
        }
    }

    // MARK: Rows

    static func consoleUser(_ row: Row) -> ConsoleUserRecord {
        ConsoleUserRecord(
            id: row["id"], username: row["username"], role: OperatorRole(rawValue: row["role"]) ?? .bureauViewer,
            schoolID: row["school_id"], passwordHash: row["password_hash"], createdAt: row["created_at"],
            createdBy: row["created_by"], disabledAt: row["disabled_at"], teacherID: row["teacher_id"])
    }

    static func consoleSession(_ row: Row) -> ConsoleSessionRecord {
        ConsoleSessionRecord(
            secretHash: row["secret_hash"], method: ConsoleSignInMethod(rawValue: row["method"]) ?? .token,
            subjectID: row["subject_id"], csrfToken: row["csrf_token"], createdAt: row["created_at"],
            lastSeenAt: row["last_seen_at"], address: row["address"])
    }
}
