import GRDB
import Logging
import PostgresNIO

extension CollectorPostgresStore {
    public func prepareEventPartitions(now: Int64, monthsAhead: Int) async throws -> [String] {
        var created: [String] = []
        for k in 0...max(0, monthsAhead) {
            let month = EventMonth.start(of: now, adding: k)
            let row = try await rows("SELECT events_ensure_partition(\(month)) AS p").first
            if let name = try row?["p"].decode(String?.self) ?? nil { created.append(name) }
        }
        return created
    }

    public func applyEventRetention(months: Int, now: Int64) async throws -> EventRetentionOutcome {
        let cutoff = EventMonth.retentionCutoff(now: now, months: months)
        let logger = logger
        return try await transaction { c in
            // The same lock as the partition function: one collector at a time changes partitions.
            try await c.query("SELECT pg_advisory_xact_lock(7467102)", logger: logger)
            let names = try await c.query(
                """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'events'::regclass
                """, logger: logger
            ).collect().map { try $0.decode(String.self) }
            var months: [(name: String, start: Int64)] = []
            for name in names {
                if let start = EventMonth.partitionStart(name), EventMonth.start(of: start, adding: 1) <= cutoff {
                    months.append((name, start))
                }
            }
            let old = months.sorted { $0.start < $1.start }.map(\.name)
            for name in old {
                // The name was read from the catalogue and matched events_YYYY_MM: safe to splice.
                try await c.query(PostgresQuery(unsafeSQL: "DROP TABLE \"\(name)\""), logger: logger)
            }
            let deleted =
                try await c.query(
                    """
                    WITH d AS (DELETE FROM events_default WHERE agent_at < \(cutoff) AND at < \(cutoff) RETURNING 1)
                    SELECT count(*) FROM d
                    """, logger: logger
                ).collect().first.map { try $0.decode(Int64.self) } ?? 0
            let outcome = EventRetentionOutcome(cutoff: cutoff, droppedPartitions: old, deletedRows: Int(deleted))
            if let entry = outcome.audit(at: now) { try await Self.audit(c, entry, logger: logger) }
            return outcome
        }
    }

    /// The partitions of the events table with the number of rows each holds, by name (tests, docs).
    func eventPartitionCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await rows(
            "SELECT tableoid::regclass::text AS p, count(*) AS n FROM events GROUP BY 1"
        ) {
            counts[try row["p"].decode(String.self)] = Int(try row["n"].decode(Int64.self))
        }
        for row in try await rows(
            "SELECT c.relname AS p FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass"
        ) {
            let name = try row["p"].decode(String.self)
            if counts[name] == nil { counts[name] = 0 }
        }
        return counts
    }
}

extension CollectorSQLiteStore {
    public func prepareEventPartitions(now: Int64, monthsAhead: Int) async throws -> [String] { [] }

    public func applyEventRetention(months: Int, now: Int64) async throws -> EventRetentionOutcome {
        let cutoff = EventMonth.retentionCutoff(now: now, months: months)
        return try await pool.write { db in
            try db.execute(sql: "DELETE FROM events WHERE agent_at < ? AND at < ?", arguments: [cutoff, cutoff])
            let outcome = EventRetentionOutcome(cutoff: cutoff, droppedPartitions: [], deletedRows: db.changesCount)
            if let entry = outcome.audit(at: now) { try Self.insertAudit(db, entry) }
            return outcome
        }
    }
}
