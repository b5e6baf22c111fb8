import ClassroomCore
import Foundation
import GRDB

extension CollectorSQLiteStore {
    public func appendAudit(_ entry: AuditEntry) async throws {
        try await pool.write { db in try Self.insertAudit(db, entry) }
    }

    static func insertAudit(_ db: Database, _ e: AuditEntry) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, actor, action, target, school_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [e.at, e.actor, e.action, e.target, e.schoolID, e.detail])
    }

    public func auditLog(filter: AuditFilter, limit: Int, offset: Int) async throws -> [AuditEntry] {
        // GLOB, not LIKE: SQLite's LIKE ignores ASCII case, PostgreSQL's does not (AuditFilter matches exactly).
        let actor = filter.actor.map(AuditFilter.globPattern)
        let action = filter.action.map(AuditFilter.globPattern)
        let schools = try filter.schoolIDs.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit_log WHERE (? IS NULL OR actor GLOB ?)
                      AND (? IS NULL OR action GLOB ?) AND (? IS NULL OR school_id = ?)
                      AND (? IS NULL OR school_id IN (SELECT value FROM json_each(?)))
                    ORDER BY id DESC LIMIT ? OFFSET ?
                    """,
                arguments: [actor, actor, action, action, filter.schoolID, filter.schoolID, schools, schools, limit, offset]
            ).map {
                AuditEntry(
                    at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"], schoolID: $0["school_id"],
                    detail: $0["detail"])
            }
        }
    }
}
