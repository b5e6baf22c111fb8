import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {

    public func insertOperatorToken(_ t: OperatorTokenRecord, audit: AuditEntry) async throws {
        let logger = logger
        try await transaction { c in
            try await c.query(
                """
                INSERT INTO operator_tokens (id, name, role, school_id, secret_hash, created_at, created_by, revoked_at, expires_at,
                  county)
                VALUES (\(t.id), \(t.name), \(t.role.rawValue), \(t.schoolID), \(t.secretHash), \(t.createdAt), \(t.createdBy),
                  \(t.revokedAt), \(t.expiresAt), \(t.county))
                """, logger: logger)
            try await Self.audit(c, audit, logger: logger)
        }
    }

    public func operatorToken(secretHash: String) async throws -> OperatorTokenRecord? {
        try await rows("SELECT * FROM operator_tokens WHERE secret_hash = \(secretHash)").first.map(Self.operatorToken)
    }

    public func operatorToken(id: String) async throws -> OperatorTokenRecord? {
        try await rows("SELECT * FROM operator_tokens WHERE id = \(id)").first.map(Self.operatorToken)
    }

    public func operatorTokens(schoolID: String?) async throws -> [OperatorTokenRecord] {
        try await rows(
            "SELECT * FROM operator_tokens WHERE (\(schoolID)::text IS NULL OR school_id = \(schoolID)) ORDER BY created_at, id"
        ).map(Self.operatorToken)
    }

    public func revokeOperatorToken(id: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                "UPDATE operator_tokens SET revoked_at = \(at) WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
                logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    static func operatorToken(_ r: PostgresRandomAccessRow) throws -> OperatorTokenRecord {
        OperatorTokenRecord(
            id: try r["id"].decode(String.self), name: try r["name"].decode(String.self),
            role: OperatorRole(rawValue: try r["role"].decode(String.self)) ?? .bureauViewer,
            schoolID: try r["school_id"].decode(String?.self), secretHash: try r["secret_hash"].decode(String.self),
            createdAt: try r["created_at"].decode(Int64.self), createdBy: try r["created_by"].decode(String?.self),
            revokedAt: try r["revoked_at"].decode(Int64?.self), expiresAt: try r["expires_at"].decode(Int64?.self),
            county: try r["county"].decode(String?.self))
    }
}
