import ClassroomCore
import GRDB

extension CollectorSQLiteStore {
    /// Keeps ``SpotCheckOrderEventsSchema``'s links for `events`, in their transaction (duplicates
    /// change nothing).
    static func linkOrderEvents(_ db: Database, _ events: [StoredEvent]) throws {
        for link in SpotCheckOrderEventLink.links(in: events) {
            switch link.key {
            case .order(let orderID):
                try db.execute(
                    sql: """
                        INSERT INTO spotcheck_order_events (order_id, device_id, seq, kind) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """, arguments: [orderID, link.deviceID, link.seq, link.kind])
            case .command(let commandID):
                try db.execute(
                    sql: """
                        INSERT INTO spotcheck_order_events (order_id, device_id, seq, kind)
                        SELECT id, ?, ?, ? FROM spotcheck_orders WHERE command_id = ?
                        ON CONFLICT DO NOTHING
                        """, arguments: [link.deviceID, link.seq, link.kind, commandID])
            }
        }
    }

    public func spotCheckOrderEvents(orderIDs: [String]) async throws -> [String: [StoredEvent]] {
        guard !orderIDs.isEmpty else { return [:] }
        return try await pool.read { db in
            var answer: [String: [StoredEvent]] = [:]
            for start in stride(from: 0, to: orderIDs.count, by: 500) {
                let chunk = Array(orderIDs[start..<min(start + 500, orderIDs.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT l.order_id, e.* FROM spotcheck_order_events l
                        JOIN spotcheck_orders o ON o.id = l.order_id AND o.device_id = l.device_id
                        JOIN events e ON e.device_id = l.device_id AND e.seq = l.seq
                        WHERE l.order_id IN (\(marks)) AND e.at >= o.lesson_start - 86400000
                        ORDER BY l.order_id, e.seq
                        """, arguments: StatementArguments(chunk))
                for row in rows { answer[row["order_id"], default: []].append(Self.storedEvent(row)) }
            }
            return answer
        }
    }

    public func latestInventoryEvent(deviceID: String, by: Int64) async throws -> StoredEvent? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM events WHERE device_id = ? AND kind IN ('inventory_snapshot', 'inventory_change') AND at <= ?
                    ORDER BY seq DESC LIMIT 1
                    """, arguments: [deviceID, by]
            ).map(Self.storedEvent)
        }
    }
}
