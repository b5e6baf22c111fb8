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
        ).map(Self.storedEvent)
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

    public func reduceUsageMinutes<State: Sendable>(
        from: Int64, through: Int64, into state: State, _ update: @escaping @Sendable (inout State, UsageMinuteRow) throws -> Void
    ) async throws -> State {
        let rows = try await client.query(
            """
            SELECT device_id, at, agent_at, (m->>'minute_start')::bigint, (m->>'display_on')::boolean,
              (m->>'touch_events')::bigint, (m->>'speech_seconds')::double precision
            FROM (SELECT device_id, at, agent_at, body::jsonb->'usage_minute' AS m FROM events
                  WHERE kind = 'usage_minute' AND at >= \(from) AND at <= \(through)) AS minutes
            """, logger: logger)
        var s = state
        for try await (device, at, agentAt, start, display, touches, speech) in rows.decode(
            (String, Int64, Int64, Int64?, Bool?, Int64?, Double?).self)
        {
            guard let start, let display, let touches, let speech else { continue }
            try update(
                &s,
                UsageMinuteRow(
                    deviceID: device, at: at, agentAt: agentAt, minuteStart: start, displayOn: display, touchEvents: Int(touches),
                    speechSeconds: speech))
        }
        return s
    }
}
