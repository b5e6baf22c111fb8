import ClassroomCore
import Foundation
import GRDB

extension CollectorSQLiteStore {
    /// Keeps the coverage read models (``CoverageReadModel``) inside the write transaction `db` that just
    /// appended `events`: the events themselves when all were new, else their stored versions.
    static func updateCoverageReadModels(_ db: Database, _ events: [StoredEvent], _ appended: AppendOutcome) throws {
        let relevant = events.filter { CoverageReadModel.isContact($0.kind) }
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

    /// `hardware: false` leaves out the inventories' summaries: v600's back-fill, run before the column
    /// exists (`v660-coverage-hardware` then fills it).
    static func applyCoverageReadModels(_ db: Database, _ batch: CoverageReadModel.Batch, hardware: Bool = true) throws {
        for i in batch.inventories {
            if hardware {
                try db.execute(
                    sql:
                        "INSERT OR IGNORE INTO coverage_inventories (device_id, seq, at, inventory, hardware) VALUES (?, ?, ?, ?, ?)",
                    arguments: [i.deviceID, i.seq, i.at, i.inventory, Int(i.hardware.rawValue)])
            } else {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO coverage_inventories (device_id, seq, at, inventory) VALUES (?, ?, ?, ?)",
                    arguments: [i.deviceID, i.seq, i.at, i.inventory])
            }
        }
        for (key, new) in batch.hours {
            var hour = new
            // Cached statements: an upload runs these once per hour it touches (usually one).
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT last_at, contacts, active FROM coverage_hours WHERE device_id = ? AND hour = ?"),
                arguments: [key.deviceID, key.hour])
            {
                hour.merge(stored: key, lastAt: row[0], contacts: bytes(row[1]), active: bytes(row[2]))
            }
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO coverage_hours (device_id, hour, last_at, contacts, active) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [key.deviceID, key.hour, hour.lastAt, Data(hour.contactsBytes), Data(hour.activeBytes)])
        }
    }

    /// A stored list column: a blob (NULL when empty; SQLite binds an empty blob as NULL).
    static func bytes(_ value: DatabaseValue) -> [UInt8]? {
        switch value.storage {
        case .blob(let data): return [UInt8](data)
        case .null: return nil
        // Not a blob the collector wrote: one byte, which no list parses (the row is malformed).
        case .string, .int64, .double: return [0]
        }
    }

    /// The read models of every stored event, a device at a time: migration `v600-read-models`
    /// (`inventories`) and `v640-coverage-hours` (`hours`).
    static func backfillCoverageReadModels(_ db: Database, inventories: Bool, hours: Bool) throws {
        let kinds = (inventories && !hours ? CoverageReadModel.inventoryKinds : CoverageReadModel.kinds).sorted()
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT device_id, seq, kind, agent_at, at, received_at, body FROM events WHERE kind IN (\(marks))
                ORDER BY device_id, seq
                """, arguments: StatementArguments(kinds))
        var device: String?
        var events: [StoredEvent] = []
        func apply() throws {
            var batch = CoverageReadModel.Batch(events, inventories: inventories)
            if !hours { batch.hours = [:] }
            try applyCoverageReadModels(db, batch, hardware: false)
        }
        while let row = try rows.next() {
            let e = StoredEvent(
                deviceID: row[0], seq: row[1], kind: row[2], agentAt: row[3], at: row[4], receivedAt: row[5], body: row[6])
            if e.deviceID != device || events.count >= 10_000 {
                try apply()
                events.removeAll(keepingCapacity: true)
                device = e.deviceID
            }
            events.append(e)
        }
        try apply()
    }

    /// The hardware summary of every inventory stored before `v660-coverage-hardware`, 10,000 at a time.
    static func backfillCoverageHardware(_ db: Database) throws {
        var after: (String, Int64) = ("", .min)
        while true {
            let page = try Row.fetchAll(
                db,
                sql: """
                    SELECT device_id, seq, inventory FROM coverage_inventories WHERE (device_id, seq) > (?, ?)
                    ORDER BY device_id, seq LIMIT 10000
                    """, arguments: [after.0, after.1])
            guard let last = page.last else { return }
            for row in page {
                try db.execute(
                    sql: "UPDATE coverage_inventories SET hardware = ? WHERE device_id = ? AND seq = ?",
                    arguments: [Int(CoverageReadModel.hardware(ofStored: row[2]).rawValue), row[0] as String, row[1] as Int64])
            }
            after = (last[0], last[1])
        }
    }

    /// The window's rows, stepped by hand (``RawRows``): a province's week is millions of small rows,
    /// where decoding GRDB `Row`s by column took most of the read. The hour rows come a device at a time
    /// in the devices' order (the table is clustered by device since `v670-coverage-hours-by-device`; the
    /// `CROSS JOIN` makes SQLite walk the devices and seek each one's hours), matched to their placement by
    /// the device's rowid, so no device id is read or hashed per row.
    public func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window {
        try await pool.read { db in
            var window = CoverageReadModel.Window(from: from, through: through)
            var rowids: [Int64] = []
            try RawRows.step(db, "SELECT rowid, id, room_id, last_seen_at, revoked_at FROM devices ORDER BY id", []) { r in
                rowids.append(r.int(0))
                window.place(
                    CoverageReadModel.Placement(
                        deviceID: r.text(1), roomID: r.optionalText(2), lastSeenAt: r.optionalInt(3), revokedAt: r.optionalInt(4))
                )
            }
            let index = window.indices()
            try RawRows.step(
                db,
                """
                SELECT device_id, seq, at, hardware, CASE WHEN hardware IS NULL THEN inventory END FROM coverage_inventories
                WHERE at >= ? AND at <= ?
                """, [from, through]
            ) { r in
                guard let d = index[r.text(0)] else { return }
                // NULL only in a row some older collector wrote after the migration: read its JSON.
                let hardware =
                    r.optionalInt(3).map { HardwareSummary(rawValue: UInt8(truncatingIfNeeded: $0)) }
                    ?? CoverageReadModel.hardware(ofStored: r.optionalText(4) ?? "")
                window.add(
                    CoverageReadModel.HardwareRow(
                        deviceID: window.placements[d].deviceID, seq: r.int(1), at: r.int(2), hardware: hardware),
                    device: d)
            }
            var cursor = RowidCursor(rowids)
            try RawRows.step(
                db,
                """
                SELECT d.rowid, h.hour, h.last_at, CASE WHEN h.last_at > ?3 THEN h.contacts END, h.active
                FROM devices d CROSS JOIN coverage_hours h ON h.device_id = d.id AND h.hour >= ?1 AND h.hour <= ?2
                ORDER BY d.id
                """, [CoverageReadModel.hourOf(from), CoverageReadModel.hourOf(through), through]
            ) { r in
                guard let d = cursor.index(of: r.int(0)) else { return }
                // A list stored as another type than a blob is malformed (one byte, which no list parses).
                r.blob(3) { contacts in
                    r.blob(4) { active in
                        window.addHour(device: d, hour: r.int(1), lastAt: r.int(2), contacts: contacts, active: active)
                    }
                }
            }
            return window
        }
    }
}

/// Finds the index of a device's rowid in the placements' rowids, for rows that come in the same order:
/// a step forward from the last one found, so a whole window's rows cost one pass. A rowid out of that
/// order (which one read transaction does not produce) is looked up instead.
struct RowidCursor {
    let rowids: [Int64]
    var position = 0
    var lookup: [Int64: Int]? = nil

    init(_ rowids: [Int64]) { self.rowids = rowids }

    mutating func index(of rowid: Int64) -> Int? {
        while position < rowids.count {
            if rowids[position] == rowid { return position }
            position += 1
        }
        if lookup == nil {
            lookup = Dictionary(rowids.enumerated().map { ($1, $0) }) { first, _ in first }
        }
        guard let found = lookup?[rowid] else { return nil }
        position = found
        return found
    }
}
