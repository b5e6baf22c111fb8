import Foundation

/// The events table of PostgreSQL partitioned by month (`v620-events-partitioned`).
///
/// The partition key is `agent_at`, the agent's own time of the event, because it is the one time
/// that is the same every time an agent sends an event: the corrected `at` is `agent_at` plus the
/// skew measured on the batch that carried it, and a batch sent again (its acknowledgement lost
/// when a collector died) is measured again. A unique key of a partitioned table must contain the
/// partition key, so the primary key becomes `(device_id, seq, agent_at)`: a re-sent event lands
/// in the same partition and conflicts there, and `(device_id, seq)` stays stored once.
///
/// Months are UTC calendar months of `agent_at` (milliseconds since 1970), one table each named
/// `events_YYYY_MM`. Partitions exist for the months of stored events (from 2000) and are created
/// for the current month and the ones ahead at start and daily. An event whose month has no
/// partition (a clock reset to 1970, or years ahead) lands in `events_default`, and moves into its
/// month's partition when that is created, so no time of an agent's clock is ever refused.
///
/// SQLite keeps one unpartitioned table; the retention deletes its old rows instead.
enum EventPartitionSchema {
    static let migration = CollectorSchema.Migration(
        name: "v620-events-partitioned",
        statements: [],
        postgresStatements: [
            // Creates the month's partition of `at_ms` when missing; answers its name, or NULL when
            // it was there. Rows of that month waiting in the DEFAULT partition move into it (the
            // partition could not be attached while they were there).
            """
            CREATE FUNCTION events_ensure_partition(at_ms BIGINT) RETURNS TEXT LANGUAGE plpgsql AS $fn$
            DECLARE
              lo TIMESTAMP := date_trunc('month', to_timestamp(at_ms / 1000.0) AT TIME ZONE 'UTC');
              lo_ms BIGINT := (extract(epoch FROM lo) * 1000)::BIGINT;
              hi_ms BIGINT := (extract(epoch FROM lo + INTERVAL '1 month') * 1000)::BIGINT;
              part TEXT := 'events_' || to_char(lo, 'YYYY_MM');
            BEGIN
              PERFORM pg_advisory_xact_lock(7467102);
              IF to_regclass(part) IS NOT NULL THEN RETURN NULL; END IF;
              EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS)', part);
              EXECUTE format(
                'WITH moved AS (DELETE FROM events_default WHERE agent_at >= %s AND agent_at < %s RETURNING *) '
                'INSERT INTO %I SELECT * FROM moved', lo_ms, hi_ms, part);
              EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part, lo_ms, hi_ms);
              RETURN part;
            END
            $fn$
            """,
            "ALTER TABLE events RENAME TO events_unpartitioned",
            "ALTER INDEX events_pkey RENAME TO events_unpartitioned_pkey",
            "ALTER INDEX events_kind_at RENAME TO events_unpartitioned_kind_at",
            "ALTER INDEX events_kind RENAME TO events_unpartitioned_kind",
            """
            CREATE TABLE events (device_id TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, agent_at BIGINT NOT NULL,
              at BIGINT NOT NULL, received_at BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (device_id, seq, agent_at))
              PARTITION BY RANGE (agent_at)
            """,
            "CREATE INDEX events_kind_at ON events (kind, at)",
            "CREATE INDEX events_kind ON events (kind, device_id, seq)",
            "CREATE TABLE events_default PARTITION OF events DEFAULT",
            // Partitions for the months that hold events (from 2000 to four months ahead; the
            // rest goes to DEFAULT) and for this month and the three after, before the copy.
            """
            SELECT count(events_ensure_partition(m)) FROM (
              SELECT DISTINCT (extract(epoch FROM date_trunc('month', to_timestamp(agent_at / 1000.0) AT TIME ZONE 'UTC'))
                * 1000)::BIGINT AS m
              FROM events_unpartitioned
              WHERE agent_at >= 946684800000 AND agent_at < (extract(epoch FROM now() + INTERVAL '4 months') * 1000)::BIGINT
              UNION SELECT (extract(epoch FROM now() + make_interval(months => k)) * 1000)::BIGINT FROM generate_series(0, 3) k
            ) months
            """,
            """
            INSERT INTO events (device_id, seq, kind, agent_at, at, received_at, body)
              SELECT device_id, seq, kind, agent_at, at, received_at, body FROM events_unpartitioned
            """,
            "DROP TABLE events_unpartitioned",
        ])
}

/// UTC calendar months in milliseconds since 1970, as the event partitions count them.
enum EventMonth {
    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// The first millisecond of the month `months` after (before, when negative) the month of `at`.
    static func start(of at: Int64, adding months: Int = 0) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(at.dividedReportingOverflow(by: 1000).partialValue))
        var parts = calendar.dateComponents([.year, .month], from: date)
        parts.day = 1
        let first = calendar.date(from: parts) ?? date
        let shifted = calendar.date(byAdding: .month, value: months, to: first) ?? first
        return Int64(shifted.timeIntervalSince1970) * 1000
    }

    /// The first millisecond of the oldest month a retention of `months` keeps: the months before
    /// it are removed. `months` whole months are kept before the current one.
    static func retentionCutoff(now: Int64, months: Int) -> Int64 { start(of: now, adding: -months) }

    /// The month a partition named `events_YYYY_MM` holds, as its first millisecond; nil for any other name.
    static func partitionStart(_ name: String) -> Int64? {
        let parts = name.split(separator: "_")
        guard parts.count == 3, parts[0] == "events", parts[1].count == 4, parts[2].count == 2,
            let year = Int(parts[1]), let month = Int(parts[2]), (1...12).contains(month),
            let date = calendar.date(from: DateComponents(year: year, month: month, day: 1))
        else { return nil }
        return Int64(date.timeIntervalSince1970) * 1000
    }

    /// `2025-12` for the month starting at `at`.
    static func label(_ at: Int64) -> String {
        let parts = calendar.dateComponents(
            [.year, .month], from: Date(timeIntervalSince1970: Double(at.dividedReportingOverflow(by: 1000).partialValue)))
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }
}

/// What one retention run removed.
public struct EventRetentionOutcome: Sendable, Equatable {
    /// The first millisecond of the oldest month kept.
    public var cutoff: Int64
    /// Month partitions dropped whole (PostgreSQL), oldest first.
    public var droppedPartitions: [String]
    /// Rows deleted one by one: SQLite's old events, or PostgreSQL's from the DEFAULT partition.
    public var deletedRows: Int

    public init(cutoff: Int64, droppedPartitions: [String], deletedRows: Int) {
        self.cutoff = cutoff
        self.droppedPartitions = droppedPartitions
        self.deletedRows = deletedRows
    }
}

/// The upkeep of the event log: month partitions ahead of time, and the removal of old events.
public protocol EventRetentionStore: Sendable {
    /// Creates the month partitions of `now`'s month and the `monthsAhead` after it that are
    /// missing (PostgreSQL); answers their names. SQLite has none and answers [].
    func prepareEventPartitions(now: Int64, monthsAhead: Int) async throws -> [String]
    /// Removes the events of the months before the last `months` whole months before `now`'s
    /// month, and writes an audit entry when anything was removed.
    ///
    /// - Important: PostgreSQL drops whole partitions, by the month of the agent's time
    ///   `agent_at`; rows in the DEFAULT partition go when both `agent_at` and `at` are older.
    ///   SQLite deletes the rows whose `agent_at` and `at` are both older.
    func applyEventRetention(months: Int, now: Int64) async throws -> EventRetentionOutcome
}

extension EventRetentionOutcome {
    func audit(at: Int64) -> AuditEntry? {
        guard !droppedPartitions.isEmpty || deletedRows > 0 else { return nil }
        var detail = "events before \(EventMonth.label(cutoff)) (UTC)"
        if !droppedPartitions.isEmpty { detail += "; dropped \(droppedPartitions.joined(separator: ", "))" }
        if deletedRows > 0 { detail += "; deleted \(deletedRows) rows" }
        return AuditEntry(at: at, actor: "collector", action: "events.retention", target: "events", schoolID: nil, detail: detail)
    }
}
