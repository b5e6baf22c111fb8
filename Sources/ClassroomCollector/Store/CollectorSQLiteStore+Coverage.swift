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

    public func reduceEvents<State: Sendable>(
        kinds: [String], from: Int64, through: Int64, into state: State,
        _ update: @escaping @Sendable (inout State, StoredEvent) throws -> Void
    ) async throws -> State {
        guard !kinds.isEmpty else { return state }
        return try await pool.read { db in
            let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
            var arguments = StatementArguments(kinds)
            arguments += [from, through]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT device_id, seq, kind, agent_at, at, received_at, body FROM events
                    WHERE kind IN (\(marks)) AND at >= ? AND at <= ?
                    """,
                arguments: arguments)
            var s = state
            while let row = try rows.next() {
                try update(
                    &s,
                    StoredEvent(
                        deviceID: row[0], seq: row[1], kind: row[2], agentAt: row[3], at: row[4], receivedAt: row[5], body: row[6]
                    ))
            }
            return s
        }
    }

    public func reduceUsageMinutes<State: Sendable>(
        from: Int64, through: Int64, into state: State, _ update: @escaping @Sendable (inout State, UsageMinuteRow) throws -> Void
    ) async throws -> State {
        try await pool.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT device_id, at, agent_at, json_extract(body, '$.usage_minute.minute_start'),
                      json_extract(body, '$.usage_minute.display_on'), json_extract(body, '$.usage_minute.touch_events'),
                      json_extract(body, '$.usage_minute.speech_seconds')
                    FROM events WHERE kind = 'usage_minute' AND at >= ? AND at <= ?
                    """,
                arguments: [from, through])
            var s = state
            while let row = try rows.next() {
                guard let start = row[3] as Int64?, let display = row[4] as Bool?, let touches = row[5] as Int?,
                    let speech = row[6] as Double?
                else { continue }
                try update(
                    &s,
                    UsageMinuteRow(
                        deviceID: row[0], at: row[1], agentAt: row[2], minuteStart: start, displayOn: display,
                        touchEvents: touches,
                        speechSeconds: speech))
            }
            return s
        }
    }
}
