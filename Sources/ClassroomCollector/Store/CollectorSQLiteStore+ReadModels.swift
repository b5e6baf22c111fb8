import ClassroomCore
import GRDB

extension CollectorSQLiteStore {
    /// Keeps the coverage read models (``CoverageReadModel``) inside the write transaction `db` that just
    /// appended `events`: the events themselves when all were new, else their stored versions.
    static func updateCoverageReadModels(_ db: Database, _ events: [StoredEvent], _ appended: AppendOutcome) throws {
        let relevant = events.filter { CoverageReadModel.kinds.contains($0.kind) }
        guard !relevant.isEmpty, appended.inserted > 0 else { return }
        let batch = CoverageReadModel.Batch(appended.duplicates == 0 ? relevant : try storedVersions(db, of: relevant))
        try applyCoverageReadModels(db, batch)
    }

    static func storedVersions(_ db: Database, of events: [StoredEvent]) throws -> [StoredEvent] {
        try events.compactMap { e in
            try Row.fetchOne(
                db, sql: "SELECT kind, agent_at, at, received_at, body FROM events WHERE device_id = ? AND seq = ?",
                arguments: [e.deviceID, e.seq]
            ).map {
                StoredEvent(
                    deviceID: e.deviceID, seq: e.seq, kind: $0[0], agentAt: $0[1], at: $0[2], receivedAt: $0[3], body: $0[4])
            }
        }
    }

    static func applyCoverageReadModels(_ db: Database, _ batch: CoverageReadModel.Batch) throws {
        for i in batch.inventories {
            try db.execute(
                sql: "INSERT OR IGNORE INTO coverage_inventories (device_id, seq, at, inventory) VALUES (?, ?, ?, ?)",
                arguments: [i.deviceID, i.seq, i.at, i.inventory])
        }
        for (key, new) in batch.days {
            var day = new
            if let row = try Row.fetchOne(
                db, sql: "SELECT last_at, contacts, active FROM coverage_days WHERE device_id = ? AND day = ?",
                arguments: [key.deviceID, key.day])
            {
                day.merge(CoverageReadModel.Day(lastAt: row[0], contacts: row[1], active: row[2]))
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO coverage_days (device_id, day, last_at, contacts, active) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.deviceID, key.day, day.lastAt, day.contactsText, day.activeText])
        }
    }

    /// Migration `v600-read-models`: the read models of every stored event, a device at a time.
    static func backfillCoverageReadModels(_ db: Database) throws {
        let kinds = CoverageReadModel.kinds.sorted()
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT device_id, seq, kind, agent_at, at, received_at, body FROM events WHERE kind IN (\(marks))
                ORDER BY device_id, seq
                """, arguments: StatementArguments(kinds))
        var device: String?
        var events: [StoredEvent] = []
        while let row = try rows.next() {
            let e = StoredEvent(
                deviceID: row[0], seq: row[1], kind: row[2], agentAt: row[3], at: row[4], receivedAt: row[5], body: row[6])
            if e.deviceID != device || events.count >= 10_000 {
                try applyCoverageReadModels(db, CoverageReadModel.Batch(events))
                events.removeAll(keepingCapacity: true)
                device = e.deviceID
            }
            events.append(e)
        }
        try applyCoverageReadModels(db, CoverageReadModel.Batch(events))
    }

    public func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window {
        try await pool.read { db in
            var inventories: [CoverageReadModel.Inventory] = []
            let i = try Row.fetchCursor(
                db, sql: "SELECT device_id, seq, at, inventory FROM coverage_inventories WHERE at >= ? AND at <= ?",
                arguments: [from, through])
            while let row = try i.next() {
                inventories.append(CoverageReadModel.Inventory(deviceID: row[0], seq: row[1], at: row[2], inventory: row[3]))
            }
            var days: [CoverageReadModel.DayRow] = []
            let d = try Row.fetchCursor(
                db,
                sql: """
                    SELECT device_id, day, last_at, CASE WHEN last_at > ?3 THEN contacts END, active FROM coverage_days
                    WHERE day >= ?1 AND day <= ?2
                    """,
                arguments: [CoverageReadModel.dayOf(from), CoverageReadModel.dayOf(through), through])
            while let row = try d.next() {
                days.append(
                    CoverageReadModel.DayRow(deviceID: row[0], day: row[1], lastAt: row[2], contacts: row[3], active: row[4]))
            }
            return CoverageReadModel.Window(from: from, through: through, days: days, inventories: inventories)
        }
    }
}
