import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import ClassroomCollector

/// The coverage read models (``CoverageReadModel``) on both stores: after random ingest orders
/// (shuffled batches, re-sent and conflicting duplicates, out-of-order `seq`, several devices per room,
/// a revoked device, inventory changes, skewed clocks, broken bodies, events on hour boundaries and
/// on the windows' ends) and after the back-fills of `v600-read-models` and `v640-coverage-hours`,
/// ``CoverageEvidenceReader`` gives what folding the raw events gives (``RawEvidenceFold``).
@Suite("Coverage read models")
struct CoverageReadModelTests {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")
    static let devices = [("a1", "R1"), ("a2", "R1"), ("b1", "R2"), ("b2", "R2"), ("gone", "R2")]
    /// Window ends (each read with windows of 1 and 7 days, which start at the same time of day): whole
    /// days, on an hour boundary and a millisecond before one, mid-hour (a trend point cuts an hour and a
    /// day at both ends), before, amid and after the events.
    static let ends: [Int64] = [
        20 * day, 24 * day + hour, 26 * day - 1, 27 * day + 50_000_000, 28 * day + 7 * hour - 1,
        29 * day + 13 * hour + 1_800_017, 30 * day + 5 * hour, 33 * day, 40 * day,
    ]
    /// Times the events cluster on: hour boundaries, the windows' ends and starts.
    static let marks: [Int64] =
        (0..<(14 * 24)).map { 18 * day + Int64($0) * hour } + ends.flatMap { [$0, $0 - day, $0 - 7 * day] }

    static func enroll(_ store: any CollectorStore) async throws {
        _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: audit)
        try await store.insertEnrollmentToken(
            EnrollmentTokenRecord(
                id: "e", schoolID: "S1", secretHash: "eh", maxUses: 50, expiresAt: 100 * day, createdAt: 0, createdBy: "t"),
            audit: audit)
        for (id, room) in devices {
            let d = DeviceRecord(
                id: id, schoolID: "S1", roomID: room, hostname: id, agentVersion: "0.1", publicKey: "k",
                credentialHash: "h-\(id)", enrolledAt: 0)
            _ = try await store.enroll(tokenHash: "eh", roomID: room, device: d, now: 1)
        }
    }

    /// A device's events over days 18…32: inventories now and then, heartbeats, usage minutes (active
    /// or not), a skewed clock, a body without the usage fields; `seq` order is not time order.
    static func events(_ device: String, _ rng: inout SeededGenerator) throws -> [StoredEvent] {
        var out: [StoredEvent] = []
        var seq: Int64 = 0
        for _ in 0..<120 {
            seq += Int64.random(in: 1...3, using: &rng)
            let agentAt: Int64
            let skew: Int64
            if Int.random(in: 0..<4, using: &rng) == 0 {
                // On a mark or a millisecond beside it, the corrected time too (no skew, or whole hours).
                agentAt = marks.randomElement(using: &rng)! + [-1, 0, 0, 1].randomElement(using: &rng)!
                skew = [0, 0, 0, 2 * hour].randomElement(using: &rng)!
            } else {
                agentAt = 18 * day + Int64.random(in: 0..<(14 * day), using: &rng)
                skew = [0, 0, 90_000, -45_000, 7_200_000].randomElement(using: &rng)!
            }
            let body: AgentEventBody
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                body = .inventorySnapshot(inventory(Int.random(in: 0..<4, using: &rng)))
            case 1:
                body = .inventoryChange(
                    InventoryChange(
                        action: .add, deviceKind: "camera", deviceID: "cam",
                        inventory: inventory(Int.random(in: 0..<4, using: &rng))))
            case 2:
                body = .heartbeat(Heartbeat(agentVersion: "0.1", uptimeSeconds: 5, queueDepth: 0, droppedUsageTotal: 0))
            default:
                let minute = UsageMinute(
                    minuteStart: agentAt - agentAt % 60_000, displayOn: Bool.random(using: &rng),
                    touchEvents: Int.random(in: 0...2, using: &rng),
                    speechSeconds: [0, 4.5, 5, 12.25].randomElement(using: &rng)!,
                    meanDBFS: nil, peakDBFS: nil, clippingRatio: 0, devicesPresent: DevicesPresent())
                body = .usageMinute(minute)
            }
            let json = try JSONEncoder().encode(AgentEvent(seq: seq, at: agentAt, body: body))
            var e = StoredEvent(
                deviceID: device, seq: seq, kind: body.kind, agentAt: agentAt, at: agentAt + skew, receivedAt: agentAt + skew,
                body: String(decoding: json, as: UTF8.self))
            if Int.random(in: 0..<25, using: &rng) == 0 {
                e.body = #"{"kind":"usage_minute","usage_minute":{"display_on":true}}"#
                e.kind = "usage_minute"
            }
            out.append(e)
        }
        return out
    }

    static func inventory(_ n: Int) -> HardwareInventory {
        var inv = HardwareInventory()
        inv.displays = [Display(connector: "HDMI-A-\(n)", card: "card0", status: .connected, dpms: "On")]
        if n > 1 { inv.touchscreens = [Touchscreen(id: "t\(n)", name: "Touch", devnode: "/dev/input/event4")] }
        if n == 3 {
            inv.cameras = [Camera(id: "c", name: "Cam", devnode: "/dev/video0", vendorID: "1", modelID: "2", bus: "usb")]
        }
        return inv
    }

    /// Every device's events, uploaded in shuffled batches through `ingest` and `appendEvents`, some
    /// batches re-sent, some re-sending a stored `seq` with another body (ignored by the store).
    static func load(_ store: any CollectorStore, seed: UInt64) async throws {
        var rng = SeededGenerator(seed: seed)
        var all: [StoredEvent] = []
        for (id, _) in devices { all += try events(id, &rng) }
        all.shuffle(using: &rng)
        var sent: [[StoredEvent]] = []
        var i = 0
        while i < all.count {
            let n = Int.random(in: 1...40, using: &rng)
            sent.append(Array(all[i..<min(i + n, all.count)]))
            i += n
        }
        for (n, batch) in sent.enumerated() {
            if n % 3 == 0 {
                for (device, events) in Dictionary(grouping: batch, by: \.deviceID) {
                    _ = try await store.ingest(events, deviceID: device, at: 32 * day, clockSkewMillis: 0)
                }
            } else {
                _ = try await store.appendEvents(batch)
            }
            if n % 4 == 1, let earlier = sent.randomElement(using: &rng) {
                // A re-sent batch, part of it conflicting: same `seq`, another body and time.
                var again = earlier
                for k in again.indices where k % 2 == 0 {
                    again[k].at += day
                    again[k].body =
                        #"{"kind":"usage_minute","usage_minute":{"minute_start":1,"display_on":true,"touch_events":9,"speech_seconds":9}}"#
                    again[k].kind = "usage_minute"
                }
                _ = try await store.appendEvents(again + [all.randomElement(using: &rng)!])
            }
        }
        _ = try await store.revokeDevice(id: "gone", at: 26 * day, audit: audit)
    }

    static func expectSameEvidence(_ store: any CollectorStore, _ phase: String = "") async throws {
        for end in ends {
            for windowDays in [1, 7] {
                let read = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: windowDays)
                let raw = try await RawEvidenceFold.read(store, end: end, windowDays: windowDays)
                #expect(read.evidence.rooms == raw.rooms, "\(phase) end \(end), \(windowDays) days")
                #expect(
                    RawEvidenceFold.activeMinutes(read.evidence) == RawEvidenceFold.activeMinutes(raw),
                    "\(phase) end \(end), \(windowDays) days")
            }
        }
    }

    @Test("random ingest orders: the read models give the raw events' evidence", arguments: StoreKind.allCases)
    func randomIngest(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll(store)
            try await Self.load(store, seed: 18)
            let some = try await CoverageEvidenceReader(store: store).read(end: 27 * Self.day, windowDays: 7)
            #expect(!some.evidence.rooms.isEmpty && !some.evidence.activeMinutes.isEmpty)
            try await Self.expectSameEvidence(store)
        }
    }

    @Test(
        "migrations v600-read-models, v640-coverage-hours, v660-coverage-hardware and v670 back-fill from the stored events",
        arguments: StoreKind.allCases)
    func backfill(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll(store)
            try await Self.load(store, seed: 600)
            try await Self.unmigrate(store)
            try await store.migrate()
            try await Self.expectSameEvidence(store, "migrated:")
            await #expect(throws: (any Error).self) { try await Self.query(store, "SELECT count(*) FROM coverage_days") }
            try await Self.expectClusteredHours(store)
        }
    }

    /// On SQLite, v670 leaves the hour rows in a table clustered by device (no rowid), with every row kept.
    static func expectClusteredHours(_ store: any CollectorStore) async throws {
        guard store is CollectorSQLiteStore else { return }
        #expect((try await query(store, "SELECT count(*) FROM coverage_hours") ?? 0) > 0)
        await #expect(throws: (any Error).self) { try await Self.query(store, "SELECT max(rowid) FROM coverage_hours") }
    }

    @Test(
        "an inventory row without its summary (written by an older collector) is read from its JSON; a damaged one proves no hardware",
        arguments: StoreKind.allCases)
    func hardwareWithoutSummary(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll(store)
            try await Self.load(store, seed: 660)
            try await Self.execute(store, ["UPDATE coverage_inventories SET hardware = NULL"])
            try await Self.expectSameEvidence(store, "summaries NULL:")
            try await Self.execute(store, ["UPDATE coverage_inventories SET inventory = '{not json'"])
            let read = try await CoverageEvidenceReader(store: store).read(end: 27 * Self.day, windowDays: 7)
            #expect(!read.evidence.rooms.isEmpty)
            #expect(read.evidence.rooms.values.allSatisfy { $0.hardware == nil || $0.hardware == [] })
        }
    }

    /// Back to the schema before `v600-read-models` (its tables, v640's, v660's and v670's and their migration records gone).
    static func unmigrate(_ store: any CollectorStore) async throws {
        let statements = ["DROP TABLE coverage_hours", "DROP TABLE coverage_inventories"]
        if let s = store as? CollectorSQLiteStore {
            try await s.pool.write { db in
                for statement in statements { try db.execute(sql: statement) }
                try db.execute(
                    sql:
                        "DELETE FROM grdb_migrations WHERE identifier IN ('v600-read-models', 'v640-coverage-hours', 'v660-coverage-hardware', 'v670-coverage-hours-by-device')"
                )
            }
        } else if let s = store as? CollectorPostgresStore {
            for statement in statements { try await s.client.query(PostgresQuery(unsafeSQL: statement)) }
            try await s.client.query(
                "DELETE FROM schema_migrations WHERE name IN ('v600-read-models', 'v640-coverage-hours', 'v660-coverage-hardware', 'v670-coverage-hours-by-device')"
            )
        }
        await #expect(throws: (any Error).self) { _ = try await store.coverageReadModel(from: 0, through: 1) }
    }

    @Test(
        "migrations v640, v660 and v670: a v630 store with day rows and inventories answers the same windows",
        arguments: StoreKind.allCases)
    func fromDayRows(kind: StoreKind) async throws {
        try await Self.withStoreMigrated(kind, before: "v640-coverage-hours") { store in
            try await Self.enroll(store)
            var rng = SeededGenerator(seed: 640)
            var all: [StoredEvent] = []
            for (id, _) in Self.devices { all += try Self.events(id, &rng) }
            // The events as stored before, and day rows as v630 kept them (their last contact and contact times;
            // v640 rebuilds the hours from the events, not from these).
            var days: [String: (lastAt: Int64, contacts: Set<Int64>)] = [:]
            for e in all where CoverageReadModel.kinds.contains(e.kind) {
                let key = "\(e.deviceID)|\(e.at >= 0 ? e.at / Self.day : -((-e.at + Self.day - 1) / Self.day))"
                var d = days[key] ?? (e.at, [])
                d.lastAt = max(d.lastAt, e.at)
                d.contacts.insert(e.at)
                days[key] = d
            }
            var statements = all.map {
                """
                INSERT INTO events (device_id, seq, kind, agent_at, at, received_at, body) VALUES
                ('\($0.deviceID)', \($0.seq), '\($0.kind)', \($0.agentAt), \($0.at), \($0.receivedAt), '\($0.body)')
                """
            }
            statements += days.map { key, d in
                let k = key.split(separator: "|")
                return """
                    INSERT INTO coverage_days (device_id, day, last_at, contacts, active) VALUES
                    ('\(k[0])', \(k[1]), \(d.lastAt), '\(d.contacts.sorted().map(String.init).joined(separator: ","))', '')
                    """
            }
            // v600's inventories, kept at ingest since v600 (v640 leaves them as they are).
            statements += CoverageReadModel.Batch(all).inventories.map {
                """
                INSERT INTO coverage_inventories (device_id, seq, at, inventory) VALUES
                ('\($0.deviceID)', \($0.seq), \($0.at), '\($0.inventory)')
                """
            }
            try await Self.execute(store, statements)
            #expect(try await Self.query(store, "SELECT count(*) FROM coverage_days") == Int64(days.count))

            try await store.migrate()
            try await Self.expectSameEvidence(store, "migrated:")
            await #expect(throws: (any Error).self) { try await Self.query(store, "SELECT count(*) FROM coverage_days") }
            try await Self.expectClusteredHours(store)
            // Migrated, the store keeps the hour rows at ingest (new seqs: on PostgreSQL a re-sent seq with
            // another `agent_at` is another event, which the inventories' `device_id, seq` key does not hold).
            var rng2 = SeededGenerator(seed: 641)
            var more: [StoredEvent] = []
            for (id, _) in Self.devices {
                more += try Self.events(id, &rng2).map {
                    var e = $0
                    e.seq += 10_000
                    return e
                }
            }
            more.shuffle(using: &rng2)
            for start in stride(from: 0, to: more.count, by: 37) {
                let batch = Array(more[start..<min(start + 37, more.count)])
                if start % 2 == 0 {
                    _ = try await store.appendEvents(batch)
                } else {
                    for (device, events) in Dictionary(grouping: batch, by: \.deviceID) {
                        _ = try await store.ingest(events, deviceID: device, at: 32 * Self.day, clockSkewMillis: 0)
                    }
                }
            }
            try await Self.expectSameEvidence(store, "ingest after migrating:")
        }
    }

    @Test("a day of per-minute uploads: each stored row holds at most one hour's entries", arguments: StoreKind.allCases)
    func boundedRows(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll(store)
            // Device a1 on day 30: each minute one upload of its (active) usage minute and a heartbeat.
            for minute in Int64(0)..<1440 {
                let t = 30 * Self.day + minute * 60_000
                let usage = UsageMinute(
                    minuteStart: t, displayOn: true, touchEvents: 1, speechSeconds: 4.5, meanDBFS: nil, peakDBFS: nil,
                    clippingRatio: 0, devicesPresent: DevicesPresent())
                let events = try [
                    Self.stored("a1", 2 * minute + 1, at: t + 59_000, .usageMinute(usage)),
                    Self.stored(
                        "a1", 2 * minute + 2, at: t + 59_500,
                        .heartbeat(Heartbeat(agentVersion: "0.1", uptimeSeconds: 5, queueDepth: 0, droppedUsageTotal: 0))),
                ]
                _ = try await store.ingest(events, deviceID: "a1", at: t + 59_900, clockSkewMillis: 0)
            }
            let length = store is CollectorSQLiteStore ? "length" : "octet_length"
            #expect(try await Self.query(store, "SELECT count(*) FROM coverage_hours WHERE device_id = 'a1'") == 24)
            // 60 active minutes of 32 bytes and 120 contacts of 8 bytes: one hour's, never the day's.
            #expect(
                try await Self.query(store, "SELECT max(\(length)(active)) FROM coverage_hours WHERE device_id = 'a1'")
                    == 60 * 32)
            #expect(
                try await Self.query(store, "SELECT max(\(length)(contacts)) FROM coverage_hours WHERE device_id = 'a1'")
                    == 120 * 8)
            for end in [31 * Self.day, 30 * Self.day + 90 * 60_000 + 7, 30 * Self.day + 12 * Self.hour, 30 * Self.day + 59_000] {
                let read = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: 1)
                let raw = try await RawEvidenceFold.read(store, end: end, windowDays: 1)
                #expect(read.evidence.rooms == raw.rooms, "end \(end)")
                #expect(RawEvidenceFold.activeMinutes(read.evidence) == RawEvidenceFold.activeMinutes(raw), "end \(end)")
            }
            let whole = try await store.coverageReadModel(from: 30 * Self.day, through: 31 * Self.day - 1)
            #expect(whole.active["a1"]?.count == 1440)
        }
    }

    @Test("odd clocks: negative times, zero and the ends of Int64", arguments: StoreKind.allCases)
    func oddClocks(kind: StoreKind) async throws {
        let h = Self.hour
        let times: [Int64] = [
            .min, .min + 1, .min + h, -Self.day - 1, -Self.day, -h - 1, -h, -h + 1, -1, 0, 1, h - 1, h, .max - h, .max - 1, .max,
        ]
        try await withStore(kind) { store in
            try await Self.enroll(store)
            var events: [StoredEvent] = []
            for (i, t) in times.enumerated() {
                let seq = Int64(i + 1)
                events.append(
                    try Self.stored(
                        "a1", seq, at: t,
                        .heartbeat(Heartbeat(agentVersion: "0.1", uptimeSeconds: 5, queueDepth: 0, droppedUsageTotal: 0))))
                let usage = UsageMinute(
                    minuteStart: t / 60_000 * 60_000, displayOn: true, touchEvents: 3, speechSeconds: 12.25, meanDBFS: nil,
                    peakDBFS: nil, clippingRatio: 0, devicesPresent: DevicesPresent())
                events.append(try Self.stored("b1", seq, at: t, .usageMinute(usage)))
            }
            #expect(try await store.appendEvents(events.shuffled()).inserted == events.count)
            for end in [-Self.day + 1, -h, -1, 0, h - 1, h + 5, 2 * Self.day] {
                for windowDays in [1, 7] {
                    let read = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: windowDays)
                    let raw = try await RawEvidenceFold.read(store, end: end, windowDays: windowDays)
                    #expect(read.evidence.rooms == raw.rooms, "end \(end), \(windowDays) days")
                    #expect(
                        RawEvidenceFold.activeMinutes(read.evidence) == RawEvidenceFold.activeMinutes(raw),
                        "end \(end), \(windowDays) days")
                }
            }
            let windows: [(Int64, Int64)] = [
                (.min, .max), (.min, .min + h - 1), (.min, .min), (.min + 1, -1), (-h, h - 1), (-h + 1, 0), (0, .max),
                (.max - h, .max - 1), (.max, .max),
            ]
            for (from, through) in windows {
                let w = try await store.coverageReadModel(from: from, through: through)
                let inside = times.filter { $0 >= from && $0 <= through }
                #expect(w.lastSeen["a1"] == inside.max(), "\(from)…\(through)")
                #expect(w.lastSeen["b1"] == inside.max(), "\(from)…\(through)")
                #expect((w.active["b1"] ?? []).map(\.at).sorted() == inside, "\(from)…\(through)")
            }
        }
    }

    @Test("a malformed hour row is skipped by the reader and replaced by the next upload", arguments: StoreKind.allCases)
    func malformedRow(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll(store)
            let t = 30 * Self.day
            let beat = AgentEventBody.heartbeat(
                Heartbeat(agentVersion: "0.1", uptimeSeconds: 5, queueDepth: 0, droppedUsageTotal: 0))
            _ = try await store.appendEvents([
                try Self.stored("a1", 1, at: t + 10, beat), try Self.stored("a1", 2, at: t + 1_000, beat),
                try Self.stored("b1", 1, at: t + 20, beat),
            ])
            let bytes = store is CollectorSQLiteStore ? "X'0102030405'" : "'\\x0102030405'::bytea"
            try await Self.execute(store, ["UPDATE coverage_hours SET contacts = \(bytes) WHERE device_id = 'a1'"])
            // The window ends before a1's last contact, so its contact list is read: 5 bytes are no list.
            let broken = try await store.coverageReadModel(from: t, through: t + 500)
            #expect(broken.malformedRows == 1)
            #expect(broken.lastSeen == ["b1": t + 20])
            _ = try await store.appendEvents([try Self.stored("a1", 3, at: t + 30, beat)])
            let mended = try await store.coverageReadModel(from: t, through: t + 500)
            #expect(mended.malformedRows == 0)
            #expect(mended.lastSeen == ["a1": t + 30, "b1": t + 20])
            #expect(try await store.coverageReadModel(from: t, through: t + 1_000).lastSeen["a1"] == t + 1_000)
        }
    }

    /// A stored event of `device` (no clock skew) with `body`.
    static func stored(_ device: String, _ seq: Int64, at: Int64, _ body: AgentEventBody) throws -> StoredEvent {
        let json = try JSONEncoder().encode(AgentEvent(seq: seq, at: at, body: body))
        return StoredEvent(
            deviceID: device, seq: seq, kind: body.kind, agentAt: at, at: at, receivedAt: at,
            body: String(decoding: json, as: UTF8.self))
    }

    /// A new store migrated up to, not including, the migration `name`.
    static func withStoreMigrated(
        _ kind: StoreKind, before name: String, _ body: @Sendable (any CollectorStore) async throws -> Void
    ) async throws {
        let all = CollectorSchema.migrations
        let stop = try #require(all.firstIndex { $0.name == name })
        switch kind {
        case .sqlite:
            let dir = try TestProcess.temporaryDirectory("collector")
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = try CollectorSQLiteStore(path: dir.appending(path: "c.sqlite").path)
            try await store.migrate(all[..<stop])
            try await body(store)
        case .postgres:
            try await withUnmigratedPostgres { store in
                try await store.migrate(all[..<stop])
                try await body(store)
            }
        }
    }

    static func execute(_ store: any CollectorStore, _ statements: [String]) async throws {
        if let s = store as? CollectorSQLiteStore {
            try await s.pool.write { db in for statement in statements { try db.execute(sql: statement) } }
        } else if let s = store as? CollectorPostgresStore {
            for statement in statements { try await s.client.query(PostgresQuery(unsafeSQL: statement)) }
        }
    }

    /// The one integer `sql` answers.
    @discardableResult
    static func query(_ store: any CollectorStore, _ sql: String) async throws -> Int64? {
        if let s = store as? CollectorSQLiteStore {
            return try await s.pool.read { db in try Int64.fetchOne(db, sql: sql) }
        } else if let s = store as? CollectorPostgresStore {
            return try await s.rows(PostgresQuery(unsafeSQL: sql)).first?[0].decode(Int64?.self)
        }
        return nil
    }
}

/// The coverage evidence as the collector folded it from the raw event log before the read models
/// (kept here as the tests' oracle only).
enum RawEvidenceFold {
    struct Fold: Sendable {
        var lastSeen: [String: Int64]
        var latest: [String: (at: Int64, seq: Int64, inventory: HardwareInventory)] = [:]
        var usage: [String: [UsageMinute]] = [:]
    }

    static func read(_ store: any CollectorStore, end: Int64, windowDays: Int) async throws -> CoverageEvidence {
        let from = end - Int64(windowDays) * 86_400_000
        var roomOf: [String: String] = [:]
        var lastSeen: [String: Int64] = [:]
        for device in try await store.devices(schoolID: nil) where (device.revokedAt ?? .max) > end {
            guard let room = device.roomID else { continue }
            roomOf[device.id] = room
            if let seen = device.lastSeenAt, seen <= end { lastSeen[device.id] = seen }
        }
        let roomOfDevice = roomOf
        let folded = try await store.reduceEvents(
            kinds: ["inventory_snapshot", "inventory_change", "heartbeat"], from: from, through: end,
            into: Fold(lastSeen: lastSeen)
        ) { fold, e in
            guard roomOfDevice[e.deviceID] != nil else { return }
            fold.lastSeen[e.deviceID] = max(fold.lastSeen[e.deviceID] ?? e.at, e.at)
            guard let event = try? JSONDecoder().decode(AgentEvent.self, from: Data(e.body.utf8)) else { return }
            let inventory: HardwareInventory
            switch event.body {
            case .inventorySnapshot(let i): inventory = i
            case .inventoryChange(let c): inventory = c.inventory
            default: return
            }
            if let l = fold.latest[e.deviceID], (l.at, l.seq) > (e.at, e.seq) { return }
            fold.latest[e.deviceID] = (e.at, e.seq, inventory)
        }
        let done = try await store.reduceUsageMinutes(from: from, through: end, into: folded) { fold, m in
            guard let room = roomOfDevice[m.deviceID] else { return }
            fold.lastSeen[m.deviceID] = max(fold.lastSeen[m.deviceID] ?? m.at, m.at)
            let (skew, o1) = m.at.subtractingReportingOverflow(m.agentAt)
            let (start, o2) = m.minuteStart.addingReportingOverflow(skew)
            guard !o1, !o2 else { return }
            fold.usage[room, default: []].append(
                UsageMinute(
                    minuteStart: start, displayOn: m.displayOn, touchEvents: m.touchEvents, speechSeconds: m.speechSeconds,
                    meanDBFS: nil, peakDBFS: nil, clippingRatio: 0, devicesPresent: DevicesPresent()))
        }
        var rooms: [String: RoomEvidence] = [:]
        for (device, room) in roomOf.sorted(by: { $0.key < $1.key }) {
            var r = rooms[room] ?? RoomEvidence()
            if let seen = done.lastSeen[device] {
                r.lastSeen = CoverageEvidenceReader.later(r.lastSeen, CoverageEvidenceReader.date(seen))
            }
            if let l = done.latest[device] {
                r.hardware = (r.hardware ?? []).union(HardwareSummary(l.inventory))
                r.inventoryAt = CoverageEvidenceReader.later(r.inventoryAt, CoverageEvidenceReader.date(l.at))
            }
            if r != RoomEvidence() { rooms[room] = r }
        }
        return CoverageEvidence(rooms: rooms, usage: done.usage)
    }

    /// What the usage rate reads of the evidence: per room, the active minutes' starts.
    static func activeMinutes(_ e: CoverageEvidence) -> [String: Set<Int64>] {
        e.activeMinutes.mapValues { Set($0) }.filter { !$0.value.isEmpty }
    }
}
