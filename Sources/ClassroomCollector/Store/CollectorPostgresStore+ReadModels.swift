import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {
    /// Keeps the coverage read models (``CoverageReadModel``) inside the transaction `c` that just
    /// appended `events`: the events themselves when all were new, else their stored versions.
    static func updateCoverageReadModels(
        _ c: PostgresConnection, _ events: [StoredEvent], _ appended: AppendOutcome, logger: Logger
    ) async throws {
        var relevant = events.filter { CoverageReadModel.kinds.contains($0.kind) }
        guard !relevant.isEmpty, appended.inserted > 0 else { return }
        if appended.duplicates > 0 {
            relevant = try await c.query(
                """
                SELECT e.device_id, e.seq, e.kind, e.agent_at, e.at, e.received_at, e.body FROM events e
                JOIN UNNEST(\(relevant.map(\.deviceID))::text[], \(relevant.map(\.seq))::bigint[]) AS k (device_id, seq)
                  ON e.device_id = k.device_id AND e.seq = k.seq
                """, logger: logger
            ).collect().map {
                let (device, seq, kind, agentAt, at, receivedAt, body) = try $0.decode(
                    (String, Int64, String, Int64, Int64, Int64, String).self)
                return StoredEvent(
                    deviceID: device, seq: seq, kind: kind, agentAt: agentAt, at: at, receivedAt: receivedAt, body: body)
            }
        }
        try await applyCoverageReadModels(c, CoverageReadModel.Batch(relevant), logger: logger)
    }

    /// New day rows are inserted; existing ones (or ones another transaction inserted meanwhile) are
    /// locked, merged and updated, so concurrent collectors never lose each other's minutes.
    static func applyCoverageReadModels(_ c: PostgresConnection, _ batch: CoverageReadModel.Batch, logger: Logger) async throws {
        let inv = batch.inventories
        if !inv.isEmpty {
            try await c.query(
                """
                INSERT INTO coverage_inventories (device_id, seq, at, inventory)
                SELECT * FROM UNNEST(\(inv.map(\.deviceID))::text[], \(inv.map(\.seq))::bigint[], \(inv.map(\.at))::bigint[],
                  \(inv.map(\.inventory))::text[])
                ON CONFLICT (device_id, seq) DO NOTHING
                """, logger: logger)
        }
        let days = batch.days.sorted { $0.key < $1.key }  // one lock order for every collector
        guard !days.isEmpty else { return }
        let inserted = try await c.query(
            """
            INSERT INTO coverage_days (device_id, day, last_at, contacts, active)
            SELECT * FROM UNNEST(\(days.map({ $0.key.deviceID }))::text[], \(days.map({ $0.key.day }))::bigint[],
              \(days.map({ $0.value.lastAt }))::bigint[], \(days.map({ $0.value.contactsText }))::text[],
              \(days.map({ $0.value.activeText }))::text[])
            ON CONFLICT (device_id, day) DO NOTHING RETURNING device_id, day
            """, logger: logger
        ).collect().map {
            let (device, day) = try $0.decode((String, Int64).self)
            return CoverageReadModel.DayKey(deviceID: device, day: day)
        }
        let fresh = Set(inserted)
        let existing = days.filter { !fresh.contains($0.key) }
        guard !existing.isEmpty else { return }
        var merged = Dictionary(uniqueKeysWithValues: existing.map { ($0.key, $0.value) })
        for row in try await c.query(
            """
            SELECT d.device_id, d.day, d.last_at, d.contacts, d.active FROM coverage_days d
            JOIN UNNEST(\(existing.map({ $0.key.deviceID }))::text[], \(existing.map({ $0.key.day }))::bigint[]) AS k (device_id, day)
              ON d.device_id = k.device_id AND d.day = k.day
            ORDER BY d.device_id, d.day FOR UPDATE OF d
            """, logger: logger
        ).collect() {
            let (device, day, lastAt, contacts, active) = try row.decode((String, Int64, Int64, String, String).self)
            merged[CoverageReadModel.DayKey(deviceID: device, day: day)]?
                .merge(CoverageReadModel.Day(lastAt: lastAt, contacts: contacts, active: active))
        }
        let rows = merged.sorted { $0.key < $1.key }
        try await c.query(
            """
            UPDATE coverage_days d SET last_at = v.last_at, contacts = v.contacts, active = v.active
            FROM UNNEST(\(rows.map({ $0.key.deviceID }))::text[], \(rows.map({ $0.key.day }))::bigint[],
              \(rows.map({ $0.value.lastAt }))::bigint[], \(rows.map({ $0.value.contactsText }))::text[],
              \(rows.map({ $0.value.activeText }))::text[]) AS v (device_id, day, last_at, contacts, active)
            WHERE d.device_id = v.device_id AND d.day = v.day
            """, logger: logger)
    }

    /// Migration `v600-read-models`: the read models of every stored event, in pages of 10,000 by key.
    static func backfillCoverageReadModels(_ c: PostgresConnection, logger: Logger) async throws {
        let kinds = CoverageReadModel.kinds.sorted()
        var after: (String, Int64)? = nil
        while true {
            let (device, seq) = after ?? ("", Int64.min)
            let page = try await c.query(
                """
                SELECT device_id, seq, kind, agent_at, at, received_at, body FROM events
                WHERE kind = ANY(\(kinds)::text[]) AND (device_id, seq) > (\(device), \(seq))
                ORDER BY device_id, seq LIMIT 10000
                """, logger: logger
            ).collect().map {
                let (device, seq, kind, agentAt, at, receivedAt, body) = try $0.decode(
                    (String, Int64, String, Int64, Int64, Int64, String).self)
                return StoredEvent(
                    deviceID: device, seq: seq, kind: kind, agentAt: agentAt, at: at, receivedAt: receivedAt, body: body)
            }
            guard let last = page.last else { return }
            try await applyCoverageReadModels(c, CoverageReadModel.Batch(page), logger: logger)
            after = (last.deviceID, last.seq)
        }
    }

    public func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window {
        let logger = logger
        return try await transaction { c in
            try await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var inventories: [CoverageReadModel.Inventory] = []
            for try await (device, seq, at, inventory) in try await c.query(
                "SELECT device_id, seq, at, inventory FROM coverage_inventories WHERE at >= \(from) AND at <= \(through)",
                logger: logger
            ).decode((String, Int64, Int64, String).self) {
                inventories.append(CoverageReadModel.Inventory(deviceID: device, seq: seq, at: at, inventory: inventory))
            }
            var days: [CoverageReadModel.DayRow] = []
            for try await (device, day, lastAt, contacts, active) in try await c.query(
                """
                SELECT device_id, day, last_at, CASE WHEN last_at > \(through) THEN contacts END, active FROM coverage_days
                WHERE day >= \(CoverageReadModel.dayOf(from)) AND day <= \(CoverageReadModel.dayOf(through))
                """, logger: logger
            ).decode((String, Int64, Int64, String?, String).self) {
                days.append(
                    CoverageReadModel.DayRow(deviceID: device, day: day, lastAt: lastAt, contacts: contacts, active: active))
            }
            return CoverageReadModel.Window(from: from, through: through, days: days, inventories: inventories)
        }
    }
}
