import ClassroomCore
import GRDB

/// The embedded store: one SQLite file in WAL mode through GRDB, the zero-setup default.
///
/// - Important: owns its `DatabasePool`; migrations run in ``migrate()`` (the server runs it at start).
public struct CollectorSQLiteStore: CollectorStore {
    let pool: DatabasePool
    /// The registry between imports (``RegistryCache``), shared by this store's copies.
    let registryCache = RegistryCache()

    /// Opens (creating when missing) the database file at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: config)
    }

    public func migrate() async throws { try await migrate(CollectorSchema.migrations[...]) }

    /// Applies the pending ones of `migrations` (tests stop before a migration to build the schema it converts).
    func migrate(_ migrations: ArraySlice<CollectorSchema.Migration>) async throws {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.name) { db in
                for statement in migration.statements { try db.execute(sql: CollectorSchema.sqlite(statement)) }
                switch migration.backfill {
                case .coverageInventories?: try Self.backfillCoverageReadModels(db, inventories: true, hours: false)
                case .coverageHours?: try Self.backfillCoverageReadModels(db, inventories: false, hours: true)
                case nil: break
                }
            }
        }
        try migrator.migrate(pool)
    }

    // MARK: Operator tokens

    public func insertOperatorToken(_ t: OperatorTokenRecord, audit: AuditEntry) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO operator_tokens (id, name, role, school_id, secret_hash, created_at, created_by, revoked_at,
                      expires_at, county)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    t.id, t.name, t.role.rawValue, t.schoolID, t.secretHash, t.createdAt, t.createdBy, t.revokedAt, t.expiresAt,
                    t.county,
                ])
            try Self.insertAudit(db, audit)
        }
    }

    public func operatorToken(secretHash: String) async throws -> OperatorTokenRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM operator_tokens WHERE secret_hash = ?", arguments: [secretHash])
                .map(Self.operatorToken)
        }
    }

    public func operatorToken(id: String) async throws -> OperatorTokenRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM operator_tokens WHERE id = ?", arguments: [id]).map(Self.operatorToken)
        }
    }

    public func operatorTokens(schoolID: String?) async throws -> [OperatorTokenRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM operator_tokens WHERE (? IS NULL OR school_id = ?) ORDER BY created_at, id",
                arguments: [schoolID, schoolID]
            ).map(Self.operatorToken)
        }
    }

    public func revokeOperatorToken(id: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE operator_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [at, id])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    // MARK: Enrollment and devices

    public func insertEnrollmentToken(_ t: EnrollmentTokenRecord, audit: AuditEntry) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO enrollment_tokens (id, school_id, secret_hash, max_uses, uses, expires_at, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [t.id, t.schoolID, t.secretHash, t.maxUses, t.uses, t.expiresAt, t.createdAt, t.createdBy])
            try Self.insertAudit(db, audit)
        }
    }

    public func enroll(tokenHash: String, roomID: String, device: DeviceRecord, now: Int64) async throws -> EnrollOutcome {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, school_id, max_uses, uses, expires_at FROM enrollment_tokens WHERE secret_hash = ?",
                    arguments: [tokenHash])
            else { return .unknownToken }
            let tokenID: String = row["id"]
            let schoolID: String = row["school_id"]
            guard (row["expires_at"] as Int64) > now else { return .expired }
            guard (row["uses"] as Int64) < (row["max_uses"] as Int64) else { return .exhausted }
            guard let roomSchool = try String.fetchOne(db, sql: "SELECT school_id FROM rooms WHERE id = ?", arguments: [roomID])
            else { return .unknownRoom }
            guard roomSchool == schoolID else { return .roomOfOtherSchool }
            var d = device
            d.schoolID = schoolID
            d.roomID = roomID
            try db.execute(sql: "UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ?", arguments: [tokenID])
            try db.execute(
                sql: """
                    INSERT INTO devices (id, school_id, room_id, hostname, agent_version, public_key, credential_hash,
                      enrolled_at, last_seen_at, clock_skew_ms, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
                    """,
                arguments: [
                    d.id, d.schoolID, d.roomID, d.hostname, d.agentVersion, d.publicKey, d.credentialHash, d.enrolledAt,
                    d.lastSeenAt,
                ])
            try Self.insertAudit(
                db,
                AuditEntry(
                    at: now, actor: "enrollment_token:\(tokenID)", action: "device.enroll", target: "device:\(d.id)",
                    schoolID: schoolID, detail: "room \(roomID), host \(d.hostname)"))
            return .enrolled(d)
        }
    }

    public func device(credentialHash: String) async throws -> DeviceRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM devices WHERE credential_hash = ?", arguments: [credentialHash])
                .map(Self.device)
        }
    }

    public func device(id: String) async throws -> DeviceRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM devices WHERE id = ?", arguments: [id]).map(Self.device)
        }
    }

    public func devices(schoolID: String?) async throws -> [DeviceRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM devices WHERE (? IS NULL OR school_id = ?) ORDER BY id", arguments: [schoolID, schoolID]
            ).map(Self.device)
        }
    }

    public func revokeDevice(id: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [at, id])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func rotateDeviceCredential(id: String, credentialHash: String, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE devices SET credential_hash = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [credentialHash, id])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func markSeen(deviceID: String, at: Int64, clockSkewMillis: Int64?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE devices SET last_seen_at = ?, clock_skew_ms = COALESCE(?, clock_skew_ms) WHERE id = ?",
                arguments: [at, clockSkewMillis, deviceID])
        }
    }

    public func setAgentVersion(deviceID: String, version: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE devices SET agent_version = ? WHERE id = ?", arguments: [version, deviceID])
        }
    }
}
