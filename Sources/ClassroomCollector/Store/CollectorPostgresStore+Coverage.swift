import ClassroomCore
import PostgresNIO

extension CollectorPostgresStore {
    public func events(kinds: [String], from: Int64, through: Int64) async throws -> [StoredEvent] {
        guard !kinds.isEmpty else { return [] }
        return try await rows(
            """
            SELECT * FROM events WHERE kind = ANY(\(kinds)::text[]) AND at >= \(from) AND at <= \(through)
            ORDER BY device_id, at, seq
            """
        ).map {
            StoredEvent(
                deviceID: try $0["device_id"].decode(String.self), seq: try $0["seq"].decode(Int64.self),
                kind: try $0["kind"].decode(String.self), agentAt: try $0["agent_at"].decode(Int64.self),
                at: try $0["at"].decode(Int64.self), receivedAt: try $0["received_at"].decode(Int64.self),
                body: try $0["body"].decode(String.self))
        }
    }
}
