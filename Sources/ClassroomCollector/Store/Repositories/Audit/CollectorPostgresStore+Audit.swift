import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {
    public func appendAudit(_ entry: AuditEntry) async throws {
        let logger = logger
        try await transaction { c in try await Self.audit(c, entry, logger: logger) }
    }

    static func audit(_ connection: PostgresConnection, _ e: AuditEntry, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO audit_log (at, actor, action, target, school_id, detail)
            VALUES (\(e.at), \(e.actor), \(e.action), \(e.target), \(e.schoolID), \(e.detail))
            """, logger: logger)
    }

    public func auditLog(filter: AuditFilter, limit: Int, offset: Int) async throws -> [AuditEntry] {
        let actor = filter.actor.map(AuditFilter.likePattern)
        let action = filter.action.map(AuditFilter.likePattern)
        let school = filter.schoolID
        let schools = filter.schoolIDs
        return try await rows(
            """
            SELECT * FROM audit_log WHERE (\(actor)::text IS NULL OR actor LIKE \(actor) ESCAPE '\\')
              AND (\(action)::text IS NULL OR action LIKE \(action) ESCAPE '\\')
              AND (\(school)::text IS NULL OR school_id = \(school))
              AND (\(schools)::text[] IS NULL OR school_id = ANY(\(schools)))
            ORDER BY id DESC LIMIT \(Int64(limit)) OFFSET \(Int64(offset))
            """
        ).map {
            AuditEntry(
                at: try $0["at"].decode(Int64.self), actor: try $0["actor"].decode(String.self),
                action: try $0["action"].decode(String.self), target: try $0["target"].decode(String.self),
                schoolID: try $0["school_id"].decode(String?.self), detail: try $0["detail"].decode(String.self))
        }
    }
}
