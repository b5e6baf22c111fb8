import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {
    /// Keeps the coverage read models (``CoverageReadModel``) inside the transaction `c` that just
    /// appended `events`: the events themselves when all were new, else their stored versions.
    static func updateCoverageReadModels(
        _ c: PostgresConnection, _ events: [StoredEvent], _ appended: AppendOutcome, logger: Logger
    ) async throws {
        var relevant = events.filter { CoverageReadModel.isContact($0.kind) }
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

    /// New hour rows are inserted; existing ones (or ones another transaction inserted meanwhile) are
    /// locked, merged and updated, so concurrent collectors never lose each other's minutes.
    ///
    /// `hardware: false` leaves out the inventories' summaries: v600's back-fill, run before the column
    /// exists (`v660-coverage-hardware` then fills it).
    static func applyCoverageReadModels(
        _ c: PostgresConnection, _ batch: CoverageReadModel.Batch, hardware: Bool = true, logger: Logger
    ) async throws {
        let inv = batch.inventories
        if !inv.isEmpty, !hardware {
            try await c.query(
                """
                INSERT INTO coverage_inventories (device_id, seq, at, inventory)
                SELECT * FROM UNNEST(\(inv.map(\.deviceID))::text[], \(inv.map(\.seq))::bigint[], \(inv.map(\.at))::bigint[],
                  \(inv.map(\.inventory))::text[])
                ON CONFLICT (device_id, seq) DO NOTHING
                """, logger: logger)
        } else if !inv.isEmpty {
            try await c.query(
                """
                INSERT INTO coverage_inventories (device_id, seq, at, inventory, hardware)
                SELECT * FROM UNNEST(\(inv.map(\.deviceID))::text[], \(inv.map(\.seq))::bigint[], \(inv.map(\.at))::bigint[],
                  \(inv.map(\.inventory))::text[], \(inv.map { Int64($0.hardware.rawValue) })::bigint[])
                ON CONFLICT (device_id, seq) DO NOTHING
                """, logger: logger)
        }
        let hours = batch.hours.sorted { $0.key < $1.key }  // one lock order for every collector
        guard !hours.isEmpty else { return }
        let inserted = try await c.query(
            """
            INSERT INTO coverage_hours (device_id, hour, last_at, contacts, active)
            SELECT * FROM UNNEST(\(hours.map({ $0.key.deviceID }))::text[], \(hours.map({ $0.key.hour }))::bigint[],
              \(hours.map({ $0.value.lastAt }))::bigint[], \(hours.map({ ByteBuffer(bytes: $0.value.contactsBytes) }))::bytea[],
              \(hours.map({ ByteBuffer(bytes: $0.value.activeBytes) }))::bytea[])
            ON CONFLICT (device_id, hour) DO NOTHING RETURNING device_id, hour
            """, logger: logger
        ).collect().map {
            let (device, hour) = try $0.decode((String, Int64).self)
            return CoverageReadModel.HourKey(deviceID: device, hour: hour)
        }
        let fresh = Set(inserted)
        let existing = hours.filter { !fresh.contains($0.key) }
        guard !existing.isEmpty else { return }
        var merged = Dictionary(uniqueKeysWithValues: existing.map { ($0.key, $0.value) })
        for row in try await c.query(
            """
            SELECT h.device_id, h.hour, h.last_at, h.contacts, h.active FROM coverage_hours h
            JOIN UNNEST(\(existing.map({ $0.key.deviceID }))::text[], \(existing.map({ $0.key.hour }))::bigint[]) AS k (device_id, hour)
              ON h.device_id = k.device_id AND h.hour = k.hour
            ORDER BY h.device_id, h.hour FOR UPDATE OF h
            """, logger: logger
        ).collect() {
            let (device, hour, lastAt, contacts, active) = try row.decode((String, Int64, Int64, ByteBuffer?, ByteBuffer?).self)
            let key = CoverageReadModel.HourKey(deviceID: device, hour: hour)
            merged[key]?.merge(stored: key, lastAt: lastAt, contacts: contacts.map(bytes), active: active.map(bytes))
        }
        let rows = merged.sorted { $0.key < $1.key }
        try await c.query(
            """
            UPDATE coverage_hours h SET last_at = v.last_at, contacts = v.contacts, active = v.active
            FROM UNNEST(\(rows.map({ $0.key.deviceID }))::text[], \(rows.map({ $0.key.hour }))::bigint[],
              \(rows.map({ $0.value.lastAt }))::bigint[], \(rows.map({ ByteBuffer(bytes: $0.value.contactsBytes) }))::bytea[],
              \(rows.map({ ByteBuffer(bytes: $0.value.activeBytes) }))::bytea[]) AS v (device_id, hour, last_at, contacts, active)
            WHERE h.device_id = v.device_id AND h.hour = v.hour
            """, logger: logger)
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

    /// The read models of every stored event, in pages of 10,000 by key: migration `v600-read-models`
    /// (`inventories`) and `v640-coverage-hours` (`hours`).
    static func backfillCoverageReadModels(
        _ c: PostgresConnection, inventories: Bool, hours: Bool, logger: Logger
    ) async throws {
        let kinds = (inventories && !hours ? CoverageReadModel.inventoryKinds : CoverageReadModel.kinds).sorted()
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
            var batch = CoverageReadModel.Batch(page, inventories: inventories)
            if !hours { batch.hours = [:] }
            try await applyCoverageReadModels(c, batch, hardware: false, logger: logger)
            after = (last.deviceID, last.seq)
        }
    }

    /// The hardware summary of every inventory stored before `v660-coverage-hardware`, 10,000 at a time.
    static func backfillCoverageHardware(_ c: PostgresConnection, logger: Logger) async throws {
        var after: (String, Int64) = ("", .min)
        while true {
            let page = try await c.query(
                """
                SELECT device_id, seq, inventory FROM coverage_inventories WHERE (device_id, seq) > (\(after.0), \(after.1))
                ORDER BY device_id, seq LIMIT 10000
                """, logger: logger
            ).collect().map { try $0.decode((String, Int64, String).self) }
            guard let last = page.last else { return }
            try await c.query(
                """
                UPDATE coverage_inventories i SET hardware = v.hardware
                FROM UNNEST(\(page.map(\.0))::text[], \(page.map(\.1))::bigint[],
                  \(page.map { Int64(CoverageReadModel.hardware(ofStored: $0.2).rawValue) })::bigint[]) AS v (device_id, seq, hardware)
                WHERE i.device_id = v.device_id AND i.seq = v.seq
                """, logger: logger)
            after = (last.0, last.1)
        }
    }

    /// How many device-id ranges a province's window is read in, each on its own connection at the same
    /// time (as the SQLite store does, ``CollectorSQLiteStore/coverageReadParts``): decoding millions of
    /// hour rows is the report's largest single-threaded part, and the collector's machines have two cores.
    static let coverageReadParts = 2

    /// Fewer devices than this are read in one pass: splitting costs a connection and a snapshot export.
    static let coverageSplitMinimum = 1_000

    /// The window of `from…through` (``coverageReadModel(from:through:parts:minimum:)``).
    public func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window {
        try await coverageReadModel(from: from, through: through, parts: Self.coverageReadParts)
    }

    /// The window read in up to `parts` ranges of device ids at once, concatenated in id order: the same
    /// window as one pass (each range reads its devices, their inventories and their hours, so a device's
    /// rows never straddle two ranges).
    ///
    /// All ranges see one state of the database: the first connection's read-only repeatable-read
    /// transaction exports its snapshot (`pg_export_snapshot()`), the others import it (`SET TRANSACTION
    /// SNAPSHOT`, as `pg_dump --jobs` does), and the first stays open until they are done.
    func coverageReadModel(
        from: Int64, through: Int64, parts: Int, minimum: Int = coverageSplitMinimum
    ) async throws -> CoverageReadModel.Window {
        let logger = logger
        let client = client
        return try await Self.readOnly(client, logger: logger) { first in
            let bounds = try await Self.rangeBounds(
                first, parts: parts, minimum: minimum,
                hours: CoverageReadModel.hourOf(from)...CoverageReadModel.hourOf(max(from, through)), logger: logger)
            let ranges = zip([nil] + bounds.map { Optional($0) }, bounds.map { Optional($0) } + [nil]).map { ($0, $1) }
            guard ranges.count > 1 else {
                return try await Self.coverageWindow(first, from: from, through: through, ids: nil, nil, logger: logger)
            }
            let snapshot = try await first.query("SELECT pg_export_snapshot()", logger: logger).collect().first?
                .decode(String.self)
            // An id such as `00000003-0000001B-1`; checked, since SET TRANSACTION SNAPSHOT takes no parameter.
            guard let snapshot, !snapshot.isEmpty, snapshot.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                throw StoreError(code: "snapshot", message: "PostgreSQL exported no usable snapshot")
            }
            return try await withThrowingTaskGroup(of: (Int, CoverageReadModel.Window).self) { group in
                for (k, range) in ranges.enumerated().dropFirst() {
                    group.addTask {
                        let window = try await Self.readOnly(client, snapshot: snapshot, logger: logger) { c in
                            try await Self.coverageWindow(c, from: from, through: through, ids: range.0, range.1, logger: logger)
                        }
                        return (k, window)
                    }
                }
                var windows = [CoverageReadModel.Window?](repeating: nil, count: ranges.count)
                windows[0] = try await Self.coverageWindow(
                    first, from: from, through: through, ids: ranges[0].0, ranges[0].1, logger: logger)
                for try await (k, window) in group { windows[k] = window }
                var joined = CoverageReadModel.Window(from: from, through: through)
                for window in windows { if let window { joined.append(window) } }
                return joined
            }
        }
    }

    /// Runs `body` in a read-only repeatable-read transaction on a connection of `client` (importing
    /// `snapshot` when given), then ends it; the transaction is rolled back when `body` throws.
    ///
    /// The transaction runs with `jit` off: these reads are one pass over millions of rows grouped by
    /// device, which the planner costs high enough to compile, and at the province the compilation
    /// (inlining alone 0.29 s) and the compiled expressions made the grouped read of 4.2 million hour rows
    /// slower, not faster (`EXPLAIN ANALYZE`: 3.85 s with, 3.02 s without).
    static func readOnly<T: Sendable>(
        _ client: PostgresClient, snapshot: String? = nil, logger: Logger,
        _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        try await client.withConnection { c in
            try await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            do {
                if let snapshot {
                    try await c.query(PostgresQuery(unsafeSQL: "SET TRANSACTION SNAPSHOT '\(snapshot)'"), logger: logger)
                }
                try await c.query("SET LOCAL jit = off", logger: logger)
                let value = try await body(c)
                try await c.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await c.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// The ids that open the window's ranges after the first: cutting the window's hour rows into `parts`
    /// ranges of about equal counts (``hourRowBounds(_:parts:hours:logger:)``) when the table has been
    /// analysed, else the devices (``deviceBounds(_:parts:minimum:logger:)``); none when there are fewer
    /// than `minimum` devices. Any increasing ids give the same window; balanced ones make the ranges end
    /// together.
    static func rangeBounds(
        _ c: PostgresConnection, parts: Int, minimum: Int, hours: ClosedRange<Int64>, logger: Logger
    ) async throws -> [String] {
        let count = try await deviceCount(c, logger: logger)
        // One device or none: nothing to split (as ``deviceBounds(_:parts:minimum:logger:)`` finds).
        guard parts > 1, count >= max(minimum, 2) else { return [] }
        if let byRows = try await hourRowBounds(c, parts: parts, hours: hours, logger: logger) { return byRows }
        return try await deviceBounds(c, parts: parts, count: count, logger: logger)
    }

    /// About how many hour rows ``hourRowBounds(_:parts:hours:logger:)`` samples.
    static let boundsSampleRows = 30_000.0

    /// Ids that cut the hour rows of `hours` into `parts` ranges of about equal counts: the quantiles of
    /// their `device_id` in a sample of the table's pages (`TABLESAMPLE SYSTEM`, about
    /// ``boundsSampleRows`` rows by the planner's row estimate; the whole table when it is smaller), so
    /// no scan. Nil when the table has no estimate (never analysed, by `ANALYZE` or autovacuum) or the
    /// sample holds no row of the window. At the province the devices' halves held 2.53 and 1.62
    /// million hour rows, and the larger range set the read's time. A sample only unbalances the ranges
    /// when it is unlike the table; the window is the same.
    static func hourRowBounds(
        _ c: PostgresConnection, parts: Int, hours: ClosedRange<Int64>, logger: Logger
    ) async throws -> [String]? {
        guard parts > 1 else { return nil }
        let estimate = try await c.query(
            "SELECT reltuples FROM pg_class WHERE oid = 'coverage_hours'::regclass", logger: logger
        ).collect().first?.decode(Float.self)
        guard let rows = estimate.map(Double.init), rows > 0 else { return nil }
        let percent = min(100, boundsSampleRows * 100 / rows)
        let quantiles = (1..<parts).map { Double($0) / Double(parts) }
        let found = try await c.query(
            """
            SELECT percentile_disc(\(quantiles)::float8[]) WITHIN GROUP (ORDER BY device_id)
            FROM coverage_hours TABLESAMPLE SYSTEM (\(percent)) WHERE hour >= \(hours.lowerBound) AND hour <= \(hours.upperBound)
            """, logger: logger
        ).collect().first?.decode([String]?.self)
        guard let ids = found ?? nil else { return nil }
        var bounds: [String] = []
        // In the column's collation order already; only a repeated quantile is dropped.
        for id in ids where id != bounds.last { bounds.append(id) }
        return bounds.isEmpty ? nil : bounds
    }

    /// The device ids that cut the devices into `parts` ranges of about equal counts (each id the first of
    /// its range), none when there are fewer than `minimum` devices.
    static func deviceBounds(_ c: PostgresConnection, parts: Int, minimum: Int, logger: Logger) async throws -> [String] {
        guard parts > 1 else { return [] }
        let count = try await deviceCount(c, logger: logger)
        guard count >= minimum else { return [] }
        return try await deviceBounds(c, parts: parts, count: count, logger: logger)
    }

    static func deviceCount(_ c: PostgresConnection, logger: Logger) async throws -> Int {
        Int(try await c.query("SELECT count(*) FROM devices", logger: logger).collect().first?.decode(Int64.self) ?? 0)
    }

    /// ``deviceBounds(_:parts:minimum:logger:)`` of `count` devices.
    static func deviceBounds(_ c: PostgresConnection, parts: Int, count: Int, logger: Logger) async throws -> [String] {
        var bounds: [String] = []
        for k in 1..<parts {
            // Offset 0 would open an empty first range; two ranges never open at one device.
            let offset = count * k / parts
            guard offset > 0,
                let id = try await c.query("SELECT id FROM devices ORDER BY id LIMIT 1 OFFSET \(offset)", logger: logger)
                    .collect().first?.decode(String.self),
                id > (bounds.last ?? "")
            else { continue }
            bounds.append(id)
        }
        return bounds
    }

    /// A query of `sql` with `values` bound as `$1…`, and the device range's ends as the next parameters of
    /// conditions on `column` (after `keyword`, `WHERE` or `AND`) in place of `{RANGE}`.
    static func rangeQuery(
        _ sql: String, _ values: [Int64], column: String, keyword: String, lower: String?, upper: String?
    ) -> PostgresQuery {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        var conditions: [String] = []
        for (op, id) in [(">=", lower), ("<", upper)] {
            guard let id else { continue }
            binds.append(id)
            conditions.append("\(conditions.isEmpty ? keyword : "AND") \(column) \(op) $\(binds.count)")
        }
        return PostgresQuery(unsafeSQL: sql.replacing("{RANGE}", with: conditions.joined(separator: " ")), binds: binds)
    }

    /// The window's rows of the devices with ids in `lower..<upper` (nil: unbounded). The hour rows come in
    /// the devices' order (the primary key's), and are matched to their placement by comparing the row's
    /// device id bytes with the next placements' (``PlacementCursor``): no `String` made or hashed per row,
    /// and the lists are read where the row holds them, not copied.
    static func coverageWindow(
        _ c: PostgresConnection, from: Int64, through: Int64, ids lower: String?, _ upper: String?, logger: Logger
    ) async throws -> CoverageReadModel.Window {
        var window = CoverageReadModel.Window(from: from, through: through)
        // Cells read from their bytes (``int64(_:)``, ``string(_:)``), not `decode((…).self)`: see PostgresCells.
        for try await row in try await c.query(
            rangeQuery(
                "SELECT id, room_id, last_seen_at, revoked_at FROM devices {RANGE} ORDER BY id", [], column: "id",
                keyword: "WHERE", lower: lower, upper: upper),
            logger: logger
        ) {
            var cells = row.makeIterator()
            guard let device = cells.next(), let room = cells.next(), let seen = cells.next(), let revoked = cells.next()
            else { throw StoreError(code: "devices", message: "a device row did not read") }
            window.place(
                CoverageReadModel.Placement(
                    deviceID: try Self.string(device), roomID: try Self.stringOrNil(room),
                    lastSeenAt: try Self.int64OrNil(seen), revokedAt: try Self.int64OrNil(revoked)))
        }
        let index = window.indices()
        var cursor = PlacementCursor(window.placements.map(\.deviceID), index: index)
        // In the devices' order, so that the cursor finds each row's device by its bytes.
        for try await row in try await c.query(
            rangeQuery(
                """
                SELECT device_id, seq, at, hardware, CASE WHEN hardware IS NULL THEN inventory END FROM coverage_inventories
                WHERE at >= $1 AND at <= $2 {RANGE} ORDER BY device_id, seq
                """, [from, through], column: "device_id", keyword: "AND", lower: lower, upper: upper),
            logger: logger
        ) {
            var cells = row.makeIterator()
            guard let device = cells.next()?.bytes, let seq = cells.next(), let at = cells.next(),
                let stored = cells.next(), let json = cells.next()
            else { throw StoreError(code: "coverage_inventories", message: "an inventory row did not read") }
            guard let d = device.withUnsafeReadableBytes({ cursor.index(of: $0) }) else { continue }
            // NULL only in a row some older collector wrote after the migration: read its JSON.
            let hardware =
                try Self.int64OrNil(stored).map { HardwareSummary(rawValue: UInt8(truncatingIfNeeded: $0)) }
                ?? CoverageReadModel.hardware(ofStored: try Self.stringOrNil(json) ?? "")
            window.add(
                CoverageReadModel.HardwareRow(
                    deviceID: window.placements[d].deviceID, seq: try Self.int64(seq), at: try Self.int64(at),
                    hardware: hardware),
                device: d)
        }
        cursor.position = 0
        // One row per device, its hour rows packed by the server (``HourRecords``): a row through
        // postgres-nio costs about a microsecond on each side of its event loop, which for the 4.2 million
        // hour rows of a province's week was most of the report's time. The hours are packed in the order
        // the server reads them (the primary key's, by hour), not sorted again per device: a window does not
        // depend on the order of a device's hours (last contact a maximum, active minutes a set), and the
        // sort took a fifth of the server's time (2.32 s → 1.77–1.84 s for 2.5 million rows).
        for try await row in try await c.query(
            rangeQuery(
                """
                SELECT device_id, string_agg(int8send(hour) || int8send(last_at)
                    || int4send(coalesce(length(contacts), 0)) || coalesce(contacts, ''::bytea)
                    || int4send(coalesce(length(active), 0)) || coalesce(active, ''::bytea), ''::bytea)
                FROM (SELECT device_id, hour, last_at, CASE WHEN last_at > $3 THEN contacts END AS contacts, active
                  FROM coverage_hours WHERE hour >= $1 AND hour <= $2 {RANGE}) AS h
                GROUP BY device_id ORDER BY device_id
                """, [CoverageReadModel.hourOf(from), CoverageReadModel.hourOf(through), through], column: "device_id",
                keyword: "AND", lower: lower, upper: upper),
            logger: logger
        ) {
            // The cells' bytes as sent, not `row.decode(…)` (postgres-nio's generic decoding of a tuple
            // looks up type metadata on each row).
            var cells = row.makeIterator()
            guard let device = cells.next()?.bytes, let packed = cells.next()?.bytes else {
                throw StoreError(code: "coverage_hours", message: "a device's packed hour rows did not read")
            }
            guard let d = device.withUnsafeReadableBytes({ cursor.index(of: $0) }) else { continue }
            try packed.withUnsafeReadableBytes { bytes in
                try HourRecords.forEach(bytes) { hour, lastAt, contacts, active in
                    window.addHour(device: d, hour: hour, lastAt: lastAt, contacts: contacts, active: active)
                }
            }
        }
        return window
    }
}

/// The placement of each inventory and hour row's device, for rows that come in the placements' order: the row's id
/// bytes are compared with the current placement's and the next few, and only an id found further away
/// (or not at all) is looked up by `String`.
struct PlacementCursor {
    let ids: [[UInt8]]
    let index: [String: Int]
    var position = 0
    /// How many placements past the current one are compared before the id is looked up: devices with
    /// no hour in the window are skipped this way.
    static let reach = 64

    init(_ ids: [String], index: [String: Int]) {
        self.ids = ids.map { Array($0.utf8) }
        self.index = index
    }

    mutating func index(of id: UnsafeRawBufferPointer) -> Int? {
        var k = position
        while k < ids.count, k <= position + Self.reach {
            if ids[k].withUnsafeBytes({ $0.elementsEqual(id) }) {
                position = k
                return k
            }
            k += 1
        }
        guard let found = index[String(decoding: id, as: UTF8.self)] else { return nil }
        position = found
        return found
    }
}

/// A device's hour rows as the window's query packs them: for each row, in the order the server read them, its `hour` and
/// `last_at` (8 bytes each), then its `contacts` and its `active` lists, each after its length (4
/// bytes; 0 for NULL); integers big-endian, as PostgreSQL's `int8send` and `int4send` write them.
enum HourRecords {
    struct Truncated: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "packed hour rows end inside a record at byte \(offset)" }
    }

    static func forEach(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (_ hour: Int64, _ lastAt: Int64, _ contacts: UnsafeRawBufferPointer, _ active: UnsafeRawBufferPointer) -> Void
    ) throws {
        var at = 0
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard bytes.count - at >= MemoryLayout<T>.size else { throw Truncated(offset: at) }
            defer { at += MemoryLayout<T>.size }
            return T(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
        }
        func list() throws -> UnsafeRawBufferPointer {
            let count = Int(try integer(Int32.self))
            guard count >= 0, bytes.count - at >= count else { throw Truncated(offset: at) }
            defer { at += count }
            return UnsafeRawBufferPointer(rebasing: bytes[at..<at + count])
        }
        while at < bytes.count {
            let hour = try integer(Int64.self)
            let lastAt = try integer(Int64.self)
            let contacts = try list()
            let active = try list()
            body(hour, lastAt, contacts, active)
        }
    }
}
