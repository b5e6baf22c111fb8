import ClassroomCore
import GRDB

extension CollectorSQLiteStore {
    public func events(kinds: [String], from: Int64, through: Int64) async throws -> [StoredEvent] {
        guard !kinds.isEmpty else { return [] }
        return try await pool.read { db in
            let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
            var arguments = StatementArguments(kinds)
            arguments += [from, through]
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM events WHERE kind IN (\(marks)) AND at >= ? AND at <= ? ORDER BY device_id, at, seq",
                arguments: arguments
            ).map {
                StoredEvent(
                    deviceID: $0["device_id"], seq: $0["seq"], kind: $0["kind"], agentAt: $0["agent_at"], at: $0["at"],
                    receivedAt: $0["received_at"], body: $0["body"])
            }
        }
    }
}
