import ClassroomCore
import GRDB

extension CollectorSQLiteStore {

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

    static func operatorToken(_ row: Row) -> OperatorTokenRecord {
        OperatorTokenRecord(
            id: row["id"], name: row["name"], role: OperatorRole(rawValue: row["role"]) ?? .bureauViewer,
            schoolID: row["school_id"], secretHash: row["secret_hash"], createdAt: row["created_at"],
            createdBy: row["created_by"], revokedAt: row["revoked_at"], expiresAt: row["expires_at"], county: row["county"])
    }
}
