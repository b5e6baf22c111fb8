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

    public func reduceEvents<State: Sendable>(
        kinds: [String], from: Int64, through: Int64, into state: State,
        _ update: @escaping @Sendable (inout State, StoredEvent) throws -> Void
    ) async throws -> State {
        guard !kinds.isEmpty else { return state }
        let rows = try await client.query(
            """
            SELECT device_id, seq, kind, agent_at, at, received_at, body FROM events
            WHERE kind = ANY(\(kinds)::text[]) AND at >= \(from) AND at <= \(through)
            """, logger: logger)
        var s = state
        for try await (device, seq, kind, agentAt, at, receivedAt, body) in rows.decode(
            (String, Int64, String, Int64, Int64, Int64, String).self)
        {
            try update(
                &s,
                StoredEvent(deviceID: device, seq: seq, kind: kind, agentAt: agentAt, at: at, receivedAt: receivedAt, body: body))
        }
        return s
    }
}
