import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {

    public func appendEvents(_ events: [StoredEvent]) async throws -> AppendOutcome {
        guard !events.isEmpty else { return AppendOutcome(inserted: 0, duplicates: 0) }
        let logger = logger
        return try await transaction { c in try await Self.append(c, events, logger: logger) }
    }

    /// One statement per batch: arrays unnested into rows, duplicates skipped by the primary key
    /// `(device_id, seq, agent_at)` (``EventPartitionSchema``: a re-sent event keeps its `agent_at`).
    static func append(_ c: PostgresConnection, _ events: [StoredEvent], logger: Logger) async throws -> AppendOutcome {
        guard !events.isEmpty else { return AppendOutcome(inserted: 0, duplicates: 0) }
        let inserted =
            try await c.query(
                """
                WITH ins AS (
                  INSERT INTO events (device_id, seq, kind, agent_at, at, received_at, body)
                  SELECT * FROM UNNEST(\(events.map(\.deviceID))::text[], \(events.map(\.seq))::bigint[],
                    \(events.map(\.kind))::text[], \(events.map(\.agentAt))::bigint[], \(events.map(\.at))::bigint[],
                    \(events.map(\.receivedAt))::bigint[], \(events.map(\.body))::text[])
                  ON CONFLICT DO NOTHING RETURNING 1)
                SELECT count(*) AS n FROM ins
                """, logger: logger
            ).collect().first.map { try $0.decode(Int64.self) } ?? 0
        try await Self.updateHardware(c, events, logger: logger)
        try await Self.linkOrderEvents(c, events, logger: logger)
        try await Self.updateCoverageReadModels(
            c, events, AppendOutcome(inserted: Int(inserted), duplicates: events.count - Int(inserted)), logger: logger)
        return AppendOutcome(inserted: Int(inserted), duplicates: events.count - Int(inserted))
    }

    /// One transaction: the acknowledgement the route builds from this answer covers only
    /// events that are committed, and a failure anywhere leaves nothing of the batch behind.
    public func ingest(_ events: [StoredEvent], deviceID: String, at: Int64, clockSkewMillis: Int64) async throws
        -> IngestOutcome
    {
        let logger = logger
        return try await transaction { c in
            let appended = try await Self.append(c, events, logger: logger)
            try await c.query(
                "UPDATE devices SET last_seen_at = \(at), clock_skew_ms = \(clockSkewMillis) WHERE id = \(deviceID)",
                logger: logger)
            let highest =
                try await c.query("SELECT MAX(seq) AS m FROM events WHERE device_id = \(deviceID)", logger: logger)
                .collect().first.flatMap { try $0.decode(Int64?.self) } ?? 0
            return IngestOutcome(appended: appended, highestSeq: highest)
        }
    }

    public func highestEventSeq(deviceID: String) async throws -> Int64 {
        try await rows("SELECT MAX(seq) AS m FROM events WHERE device_id = \(deviceID)").first
            .flatMap { try $0["m"].decode(Int64?.self) } ?? 0
    }

    public func events(deviceID: String, afterSeq: Int64, limit: Int) async throws -> [StoredEvent] {
        try await rows(
            "SELECT * FROM events WHERE device_id = \(deviceID) AND seq > \(afterSeq) ORDER BY seq LIMIT \(Int64(limit))"
        ).map(Self.storedEvent)
    }

    /// A row of `events` (`SELECT *`).
    static func storedEvent(_ r: PostgresRandomAccessRow) throws -> StoredEvent {
        StoredEvent(
            deviceID: try r["device_id"].decode(String.self), seq: try r["seq"].decode(Int64.self),
            kind: try r["kind"].decode(String.self), agentAt: try r["agent_at"].decode(Int64.self),
            at: try r["at"].decode(Int64.self), receivedAt: try r["received_at"].decode(Int64.self),
            body: try r["body"].decode(String.self))
    }
}
