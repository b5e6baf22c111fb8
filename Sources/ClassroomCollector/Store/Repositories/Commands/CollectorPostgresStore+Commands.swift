import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {

    public func enqueueCommand(_ command: CommandRecord, audit: AuditEntry?) async throws {
        let logger = logger
        try await transaction { c in
            try await c.query(
                """
                INSERT INTO commands (id, device_id, kind, body, issued_at)
                VALUES (\(command.id), \(command.deviceID), \(command.kind), \(command.body), \(command.issuedAt))
                """, logger: logger)
            if let audit { try await Self.audit(c, audit, logger: logger) }
            // Delivered on commit to every collector listening on this database.
            try await c.query("SELECT pg_notify(\(Self.commandChannel), \(command.deviceID))", logger: logger)
        }
    }

    static let commandChannel = "classroom_commands"

    public func watchCommands(_ handler: @escaping @Sendable (String) -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: Self.commandChannel) { notifications in
                for try await notification in notifications { handler(notification.payload) }
            }
        }
    }

    public func pendingCommands(deviceID: String) async throws -> [CommandRecord] {
        try await rows(
            "SELECT * FROM commands WHERE device_id = \(deviceID) AND acknowledged_at IS NULL ORDER BY issued_at, id"
        ).map {
            CommandRecord(
                id: try $0["id"].decode(String.self), deviceID: try $0["device_id"].decode(String.self),
                kind: try $0["kind"].decode(String.self), body: try $0["body"].decode(String.self),
                issuedAt: try $0["issued_at"].decode(Int64.self), acknowledgedAt: try $0["acknowledged_at"].decode(Int64?.self))
        }
    }

    public func acknowledgeCommands(deviceID: String, ids: [String], at: Int64) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await rows(
            """
            UPDATE commands SET acknowledged_at = \(at)
            WHERE device_id = \(deviceID) AND id = ANY(\(ids)::text[]) AND acknowledged_at IS NULL RETURNING id
            """
        ).count
    }
}
