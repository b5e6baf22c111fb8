import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {
    /// Keeps ``SpotCheckOrderEventsSchema``'s links for `events`, in their transaction (duplicates
    /// change nothing).
    static func linkOrderEvents(_ c: PostgresConnection, _ events: [StoredEvent], logger: Logger) async throws {
        for link in SpotCheckOrderEventLink.links(in: events) {
            switch link.key {
            case .order(let orderID):
                try await c.query(
                    """
                    INSERT INTO spotcheck_order_events (order_id, device_id, seq, kind)
                    VALUES (\(orderID), \(link.deviceID), \(link.seq), \(link.kind)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            case .command(let commandID):
                try await c.query(
                    """
                    INSERT INTO spotcheck_order_events (order_id, device_id, seq, kind)
                    SELECT id, \(link.deviceID), \(link.seq), \(link.kind) FROM spotcheck_orders WHERE command_id = \(commandID)
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
    }

    public func spotCheckOrderEvents(orderIDs: [String]) async throws -> [String: [StoredEvent]] {
        guard !orderIDs.isEmpty else { return [:] }
        var answer: [String: [StoredEvent]] = [:]
        for row in try await rows(
            """
            SELECT l.order_id, e.* FROM spotcheck_order_events l
            JOIN spotcheck_orders o ON o.id = l.order_id AND o.device_id = l.device_id
            JOIN events e ON e.device_id = l.device_id AND e.seq = l.seq
            WHERE l.order_id = ANY(\(orderIDs)::text[]) AND e.at >= o.lesson_start - 86400000
            ORDER BY l.order_id, e.seq
            """)
        {
            answer[try row["order_id"].decode(String.self), default: []].append(try Self.storedEvent(row))
        }
        return answer
    }

    public func latestInventoryEvent(deviceID: String, by: Int64) async throws -> StoredEvent? {
        try await rows(
            """
            SELECT * FROM events WHERE device_id = \(deviceID) AND kind IN ('inventory_snapshot', 'inventory_change')
              AND at <= \(by) ORDER BY seq DESC LIMIT 1
            """
        ).first.map(Self.storedEvent)
    }
}
