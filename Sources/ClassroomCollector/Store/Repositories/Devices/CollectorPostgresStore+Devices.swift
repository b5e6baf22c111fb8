import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {

    public func insertEnrollmentToken(_ t: EnrollmentTokenRecord, audit: AuditEntry) async throws {
        let logger = logger
        try await transaction { c in
            try await c.query(
                """
                INSERT INTO enrollment_tokens (id, school_id, secret_hash, max_uses, uses, expires_at, created_at, created_by)
                VALUES (\(t.id), \(t.schoolID), \(t.secretHash), \(Int64(t.maxUses)), \(Int64(t.uses)), \(t.expiresAt),
                  \(t.createdAt), \(t.createdBy))
                """, logger: logger)
            try await Self.audit(c, audit, logger: logger)
        }
    }

    public func enroll(tokenHash: String, roomID: String, device: DeviceRecord, now: Int64) async throws -> EnrollOutcome {
        let logger = logger
        return try await transaction { c in
            // FOR UPDATE: two machines spending the last use at once cannot both succeed.
            let tokens = try await c.query(
                """
                SELECT id, school_id, max_uses, uses, expires_at FROM enrollment_tokens WHERE secret_hash = \(tokenHash)
                FOR UPDATE
                """, logger: logger
            ).collect()
            guard let row = tokens.first?.makeRandomAccess() else { return .unknownToken }
            let tokenID = try row["id"].decode(String.self)
            let schoolID = try row["school_id"].decode(String.self)
            guard try row["expires_at"].decode(Int64.self) > now else { return .expired }
            guard try row["uses"].decode(Int64.self) < row["max_uses"].decode(Int64.self) else { return .exhausted }
            let rooms = try await c.query("SELECT school_id FROM rooms WHERE id = \(roomID)", logger: logger).collect()
            guard let roomRow = rooms.first?.makeRandomAccess() else { return .unknownRoom }
            guard try roomRow["school_id"].decode(String.self) == schoolID else { return .roomOfOtherSchool }
            var d = device
            d.schoolID = schoolID
            d.roomID = roomID
            try await c.query("UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = \(tokenID)", logger: logger)
            try await c.query(
                """
                INSERT INTO devices (id, school_id, room_id, hostname, agent_version, public_key, credential_hash, enrolled_at,
                  last_seen_at) VALUES (\(d.id), \(d.schoolID), \(d.roomID), \(d.hostname), \(d.agentVersion), \(d.publicKey),
                  \(d.credentialHash), \(d.enrolledAt), \(d.lastSeenAt))
                """, logger: logger)
            try await Self.audit(
                c,
                AuditEntry(
                    at: now, actor: "enrollment_token:\(tokenID)", action: "device.enroll", target: "device:\(d.id)",
                    schoolID: schoolID, detail: "room \(roomID), host \(d.hostname)"), logger: logger)
            return .enrolled(d)
        }
    }

    public func device(credentialHash: String) async throws -> DeviceRecord? {
        try await rows("SELECT * FROM devices WHERE credential_hash = \(credentialHash)").first.map(Self.device)
    }

    public func device(id: String) async throws -> DeviceRecord? {
        try await rows("SELECT * FROM devices WHERE id = \(id)").first.map(Self.device)
    }

    public func devices(schoolID: String?) async throws -> [DeviceRecord] {
        try await rows("SELECT * FROM devices WHERE (\(schoolID)::text IS NULL OR school_id = \(schoolID)) ORDER BY id")
            .map(Self.device)
    }

    public func revokeDevice(id: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                "UPDATE devices SET revoked_at = \(at) WHERE id = \(id) AND revoked_at IS NULL RETURNING id", logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    public func rotateDeviceCredential(id: String, credentialHash: String, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                "UPDATE devices SET credential_hash = \(credentialHash) WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
                logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    public func markSeen(deviceID: String, at: Int64, clockSkewMillis: Int64?) async throws {
        try await client.query(
            """
            UPDATE devices SET last_seen_at = \(at), clock_skew_ms = COALESCE(\(clockSkewMillis)::bigint, clock_skew_ms)
            WHERE id = \(deviceID)
            """, logger: logger)
    }

    public func setAgentVersion(deviceID: String, version: String) async throws {
        try await client.query("UPDATE devices SET agent_version = \(version) WHERE id = \(deviceID)", logger: logger)
    }

    static func device(_ r: PostgresRandomAccessRow) throws -> DeviceRecord {
        DeviceRecord(
            id: try r["id"].decode(String.self), schoolID: try r["school_id"].decode(String.self),
            roomID: try r["room_id"].decode(String?.self), hostname: try r["hostname"].decode(String.self),
            agentVersion: try r["agent_version"].decode(String.self), publicKey: try r["public_key"].decode(String.self),
            credentialHash: try r["credential_hash"].decode(String.self), enrolledAt: try r["enrolled_at"].decode(Int64.self),
            lastSeenAt: try r["last_seen_at"].decode(Int64?.self), clockSkewMillis: try r["clock_skew_ms"].decode(Int64?.self),
            revokedAt: try r["revoked_at"].decode(Int64?.self))
    }
}
