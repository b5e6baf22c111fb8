import PostgresNIO

extension CollectorPostgresStore {
    // MARK: Users

    public func insertConsoleUser(_ u: ConsoleUserRecord, audit: AuditEntry) async throws {
        let logger = logger
        try await transaction { c in
            let inserted = try await c.query(
                """
                INSERT INTO console_users (id, username, role, school_id, password_hash, created_at, created_by, disabled_at,
                  teacher_id)
                VALUES (\(u.id), \(u.username), \(u.role.rawValue), \(u.schoolID), \(u.passwordHash), \(u.createdAt),
                  \(u.createdBy), \(u.disabledAt), \(u.teacherID))
                ON CONFLICT (username) DO NOTHING RETURNING id
                """, logger: logger
            ).collect()
            guard !inserted.isEmpty else {
                throw StoreError(code: "duplicate", message: "a console user '\(u.username)' exists already")
            }
            try await Self.audit(c, audit, logger: logger)
        }
    }

    public func consoleUser(username: String) async throws -> ConsoleUserRecord? {
        try await rows("SELECT * FROM console_users WHERE username = \(username)").first.map(Self.consoleUser)
    }

    public func consoleUser(id: String) async throws -> ConsoleUserRecord? {
        try await rows("SELECT * FROM console_users WHERE id = \(id)").first.map(Self.consoleUser)
    }

    public func consoleUsers(schoolID: String?) async throws -> [ConsoleUserRecord] {
        try await rows(
            "SELECT * FROM console_users WHERE (\(schoolID)::text IS NULL OR school_id = \(schoolID)) ORDER BY username"
        ).map(Self.consoleUser)
    }

    public func setConsoleUserPassword(id: String, passwordHash: String, enable: Bool, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                """
                UPDATE console_users SET password_hash = \(passwordHash),
                  disabled_at = CASE WHEN \(enable) THEN NULL ELSE disabled_at END
                WHERE id = \(id) RETURNING id
                """, logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await c.query(
                "DELETE FROM console_sessions WHERE method = 'password' AND subject_id = \(id)", logger: logger)
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    public func disableConsoleUser(id: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                "UPDATE console_users SET disabled_at = \(at) WHERE id = \(id) AND disabled_at IS NULL RETURNING id",
                logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await c.query(
                "DELETE FROM console_sessions WHERE method = 'password' AND subject_id = \(id)", logger: logger)
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    // MARK: Sessions

    public func insertConsoleSession(_ s: ConsoleSessionRecord) async throws {
        try await client.query(
            """
            INSERT INTO console_sessions (secret_hash, method, subject_id, csrf_token, created_at, last_seen_at, address)
            VALUES (\(s.secretHash), \(s.method.rawValue), \(s.subjectID), \(s.csrfToken), \(s.createdAt), \(s.lastSeenAt),
              \(s.address))
            """, logger: logger)
    }

    public func consoleSession(secretHash: String, idleSince: Int64, now: Int64, touchAfter: Int64) async throws
        -> ConsoleSessionRecord?
    {
        guard
            var session = try await rows("SELECT * FROM console_sessions WHERE secret_hash = \(secretHash)").first
                .map(Self.consoleSession)
        else { return nil }
        if session.lastSeenAt < idleSince {
            try await client.query("DELETE FROM console_sessions WHERE secret_hash = \(secretHash)", logger: logger)
            return nil
        }
        if now - session.lastSeenAt > touchAfter {
            try await client.query(
                "UPDATE console_sessions SET last_seen_at = \(now) WHERE secret_hash = \(secretHash)", logger: logger)
            session.lastSeenAt = now
        }
        return session
    }

    public func deleteConsoleSession(secretHash: String, audit: AuditEntry?) async throws {
        let logger = logger
        try await transaction { c in
            try await c.query("DELETE FROM console_sessions WHERE secret_hash = \(secretHash)", logger: logger)
            if let audit { try await Self.audit(c, audit, logger: logger) }
        }
    }

    // MARK: Failed sign-ins

    public func recordSignInFailure(address: String, at: Int64, since: Int64, lockAt: Int, lockAudit: AuditEntry)
        async throws -> Int
    {
        let logger = logger
        return try await transaction { c in
            try await c.query(
                "DELETE FROM console_sign_in_failures WHERE address = \(address) AND at < \(since)", logger: logger)
            try await c.query(
                "INSERT INTO console_sign_in_failures (address, at) VALUES (\(address), \(at))", logger: logger)
            var count = 0
            for try await n in try await c.query(
                "SELECT COUNT(*) FROM console_sign_in_failures WHERE address = \(address) AND at >= \(since)", logger: logger
            ).decode(Int64.self) { count = Int(n) }
            if count == lockAt { try await Self.audit(c, lockAudit, logger: logger) }
            return count
        }
    }

    public func signInFailures(address: String, since: Int64) async throws -> [Int64] {
        try await rows(
            "SELECT at FROM console_sign_in_failures WHERE address = \(address) AND at >= \(since) ORDER BY at"
        ).map { try $0["at"].decode(Int64.self) }
    }

    public func clearSignInFailures(address: String) async throws {
        try await client.query("DELETE FROM console_sign_in_failures WHERE address = \(address)", logger: logger)
    }

    public func countyNames(limit: Int) async throws -> [String] {
        try await rows("SELECT DISTINCT county FROM schools ORDER BY county LIMIT \(Int64(limit))").map {
            try $0["county"].decode(String.self)
        }
    }

    // MARK: Rows

    static func consoleUser(_ r: PostgresRandomAccessRow) throws -> ConsoleUserRecord {
        ConsoleUserRecord(
            id: try r["id"].decode(String.self), username: try r["username"].decode(String.self),
            role: OperatorRole(rawValue: try r["role"].decode(String.self)) ?? .bureauViewer,
            schoolID: try r["school_id"].decode(String?.self), passwordHash: try r["password_hash"].decode(String.self),
            createdAt: try r["created_at"].decode(Int64.self), createdBy: try r["created_by"].decode(String.self),
            disabledAt: try r["disabled_at"].decode(Int64?.self), teacherID: try r["teacher_id"].decode(String?.self))
    }

    static func consoleSession(_ r: PostgresRandomAccessRow) throws -> ConsoleSessionRecord {
        ConsoleSessionRecord(
            secretHash: try r["secret_hash"].decode(String.self),
            method: ConsoleSignInMethod(rawValue: try r["method"].decode(String.self)) ?? .token,
            subjectID: try r["subject_id"].decode(String.self), csrfToken: try r["csrf_token"].decode(String.self),
            createdAt: try r["created_at"].decode(Int64.self), lastSeenAt: try r["last_seen_at"].decode(Int64.self),
            address: try r["address"].decode(String.self))
    }
}
