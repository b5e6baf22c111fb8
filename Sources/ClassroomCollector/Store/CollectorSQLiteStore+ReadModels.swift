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

    /// How many device-id ranges a province's window is read in, each on its own pooled read connection
    /// at the same time: the collector's machines have two cores, and the read (millions of hour rows,
    /// SQLite's scan and the Swift per row about equal) is the largest single-threaded part of a report.
    static let coverageReadParts = 2

    /// Fewer devices than this are read in one pass: splitting costs a transaction and a writer turn.
    static let coverageSplitMinimum = 1_000

    /// The window of `from…through` (``coverageReadModel(from:through:parts:)``).
    public func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window {
        try await coverageReadModel(from: from, through: through, parts: Self.coverageReadParts)
    }

    /// The window read in up to `parts` ranges of device ids at once, concatenated in id order: the same
    /// window as one pass (each range reads its devices, their inventories and their hours, so a device's
    /// rows never straddle two ranges), read by `parts` cores.
    ///
    /// The ranges must see one state of the database, or a report could count an upload's devices in one
    /// range and not in the other. GRDB's snapshots (`DatabaseSnapshotPool`) need SQLite's snapshot API,
    /// which the Linux build disables; instead the ranges' read transactions all begin while this store's
    /// writer is held (`asyncConcurrentRead` returns once its transaction sees the last commit), so no commit
    /// of this process falls between them; a commit by another process (the CLI) would change
    /// `PRAGMA data_version` between the checks before and after, and then the ranges are read again (in one
    /// pass after three tries). The writer is held only until the transactions have begun (waiting for free readers when all are busy), not while they read.
    func coverageReadModel(
        from: Int64, through: Int64, parts: Int, minimum: Int = coverageSplitMinimum
    ) async throws -> CoverageReadModel.Window {
        let bounds = try await pool.read { db in try Self.deviceBounds(db, parts: parts, minimum: minimum) }
        guard !bounds.isEmpty else {
            return try await pool.read { db in try Self.coverageWindow(db, from: from, through: through, ids: nil, nil) }
        }
        let ranges = zip([nil] + bounds.map { Optional($0) }, bounds.map { Optional($0) } + [nil]).map { ($0, $1) }
        for _ in 0..<3 {
            let (reads, sameState) = try await pool.writeWithoutTransaction { db in
                let before = try Int64.fetchOne(db, sql: "PRAGMA data_version")
                let reads = ranges.map { range in
                    let read = PendingRead<CoverageReadModel.Window>()
                    pool.asyncConcurrentRead { db in
                        read.resolve(
                            Result {
                                try Self.coverageWindow(db.get(), from: from, through: through, ids: range.0, range.1)
                            })
                    }
                    return read
                }
                return (reads, try Int64.fetchOne(db, sql: "PRAGMA data_version") == before)
            }
            var window = CoverageReadModel.Window(from: from, through: through)
            for read in reads { window.append(try await read.value()) }
            if sameState { return window }
        }
        return try await pool.read { db in try Self.coverageWindow(db, from: from, through: through, ids: nil, nil) }
    }

    /// The device ids that cut the devices into `parts` ranges of about equal counts (each id the first of
    /// its range), none when there are fewer than `minimum` devices.
    static func deviceBounds(_ db: Database, parts: Int, minimum: Int) throws -> [String] {
        guard parts > 1 else { return [] }
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM devices") ?? 0
        guard count >= minimum else { return [] }
        var bounds: [String] = []
        for k in 1..<parts {
            // Offset 0 would open an empty first range; two ranges never open at one device.
            let offset = count * k / parts
            guard offset > 0,
                let id = try String.fetchOne(db, sql: "SELECT id FROM devices ORDER BY id LIMIT 1 OFFSET ?", arguments: [offset]),
                id > (bounds.last ?? "")
            else { continue }
            bounds.append(id)
        }
        return bounds
    }

    /// The window's rows of the devices with ids in `lower..<upper` (nil: unbounded), stepped by hand
    /// (``RawRows``): a province's week is millions of small rows, where decoding GRDB `Row`s by column
    /// took most of the read. The hour rows come a device at a time in the devices' order (the table is
    /// clustered by device since `v670-coverage-hours-by-device`; the `CROSS JOIN` makes SQLite walk the
    /// devices and seek each one's hours), matched to their placement by the device's rowid, so no device
    /// id is read or hashed per row.
    static func coverageWindow(
        _ db: Database, from: Int64, through: Int64, ids lower: String?, _ upper: String?
    ) throws -> CoverageReadModel.Window {
        var window = CoverageReadModel.Window(from: from, through: through)
        // The range's ends as the last parameters of each query (SQLite compares ids bytewise, as it orders
        // them, so the ranges partition the devices in their order); a missing end is no condition.
        let ends = [(">=", lower), ("<", upper)].compactMap { op, id in id.map { (op, $0) } }
        /// The range's conditions on `column`, the first after `keyword` (`WHERE` or `AND`).
        func range(_ column: String, _ keyword: String) -> String {
            ends.enumerated().map { i, end in "\(i == 0 ? keyword : "AND") \(column) \(end.0) ?" }.joined(separator: " ")
        }
        func arguments(_ values: [any DatabaseValueConvertible]) -> StatementArguments {
            StatementArguments(values + ends.map(\.1))
        }
        let devices = range("id", "WHERE")
        let inventories = range("device_id", "AND")
        let hours = range("d.id", "WHERE")
        var rowids: [Int64] = []
        try RawRows.step(
            db, "SELECT rowid, id, room_id, last_seen_at, revoked_at FROM devices \(devices) ORDER BY id", arguments([])
        ) { r in
            rowids.append(r.int(0))
            window.place(
                CoverageReadModel.Placement(
                    deviceID: r.text(1), roomID: r.optionalText(2), lastSeenAt: r.optionalInt(3), revokedAt: r.optionalInt(4)))
        }
        let index = window.indices()
        try RawRows.step(
            db,
            """
            SELECT device_id, seq, at, hardware, CASE WHEN hardware IS NULL THEN inventory END FROM coverage_inventories
            WHERE at >= ? AND at <= ? \(inventories)
            """, arguments([from, through])
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
            \(hours) ORDER BY d.id
            """, arguments([CoverageReadModel.hourOf(from), CoverageReadModel.hourOf(through), through])
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

/// The result of a read started on GRDB's reader queue (`asyncConcurrentRead`), awaited by the task that
/// started it.
final class PendingRead<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?
    private var waiter: CheckedContinuation<Value, any Error>?

    func resolve(_ result: Result<Value, any Error>) {
        let waiter = lock.withLock {
            self.result = result
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = lock.withLock {
                if result == nil { waiter = continuation }
                return result
            }
            if let ready { continuation.resume(with: ready) }
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
