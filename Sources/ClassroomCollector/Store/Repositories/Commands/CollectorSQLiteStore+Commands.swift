import ClassroomCore
import GRDB

extension CollectorSQLiteStore {

    public func enqueueCommand(_ c: CommandRecord, audit: AuditEntry?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO commands (id, device_id, kind, body, issued_at, acknowledged_at) VALUES (?, ?, ?, ?, ?, NULL)",
                arguments: [c.id, c.deviceID, c.kind, c.body, c.issuedAt])
            if let audit { try Self.insertAudit(db, audit) }
        }
    }

    public func watchCommands(_ handler: @escaping @Sendable (String) -> Void) async throws {}

    public func pendingCommands(deviceID: String) async throws -> [CommandRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM commands WHERE device_id = ? AND acknowledged_at IS NULL ORDER BY issued_at, id",
                arguments: [deviceID]
            ).map {
                CommandRecord(
                    id: $0["id"], deviceID: $0["device_id"], kind: $0["kind"], body: $0["body"], issuedAt: $0["issued_at"],
                    acknowledgedAt: $0["acknowledged_at"])
            }
        }
    }

    public func acknowledgeCommands(deviceID: String, ids: [String], at: Int64) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await pool.write { db in
            var count = 0
            for id in ids {
                try db.execute(
                    sql: "UPDATE commands SET acknowledged_at = ? WHERE id = ? AND device_id = ? AND acknowledged_at IS NULL",
                    arguments: [at, id, deviceID])
                count += db.changesCount
            }
            return count
        }
    }
}
