import ClassroomCore
import ClassroomWire
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import ClassroomCollector

/// The coverage read models (``CoverageReadModel``) on both stores: after random ingest orders
/// (shuffled batches, re-sent and conflicting duplicates, out-of-order `seq`, several devices per room,
/// a revoked device, inventory changes, skewed clocks, broken bodies) and after the `v600-read-models`
/// back-fill, ``CoverageEvidenceReader`` gives what folding the raw events gives (``RawEvidenceFold``).
@Suite("Coverage read models")
struct CoverageReadModelTests {
    static let day: Int64 = 86_400_000
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")
    static let devices = [("a1", "R1"), ("a2", "R1"), ("b1", "R2"), ("b2", "R2"), ("gone", "R2")]
    /// Window ends: whole days, mid-day (a trend point cuts a day), before, amid and after the events.
    static let ends: [Int64] = [20 * day, 24 * day + 3_600_000, 26 * day - 1, 27 * day + 50_000_000, 33 * day, 40 * day]

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
            let agentAt = 18 * day + Int64.random(in: 0..<(14 * day), using: &rng)
            let skew: Int64 = [0, 0, 90_000, -45_000, 7_200_000].randomElement(using: &rng)!
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

    static func expectSameEvidence(_ store: any CollectorStore) async throws {
        for end in ends {
            for windowDays in [1, 7] {
                let read = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: windowDays)
                let raw = try await RawEvidenceFold.read(store, end: end, windowDays: windowDays)
                #expect(read.evidence.rooms == raw.rooms, "end \(end), \(windowDays) days")
                #expect(
                    RawEvidenceFold.activeMinutes(read.evidence) == RawEvidenceFold.activeMinutes(raw),
                    "end \(end), \(windowDays) days")
            }
        }
    }

    @Test("random ingest orders: the read models give the raw events' evidence", arguments: StoreKind.allCases)
    func randomIngest(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll(store)
            try await Self.load(store, seed: 18)
            let some = try await CoverageEvidenceReader(store: store).read(end: 27 * Self.day, windowDays: 7)
            #expect(!some.evidence.rooms.isEmpty && !some.evidence.usage.isEmpty)
            try await Self.expectSameEvidence(store)
        }
    }

    @Test("migration v600-read-models back-fills from the stored events", arguments: StoreKind.allCases)
    func backfill(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll(store)
            try await Self.load(store, seed: 600)
            try await Self.unmigrate(store)
            try await store.migrate()
            try await Self.expectSameEvidence(store)
        }
    }

    /// Back to the schema before `v600-read-models` (its tables and its migration record gone).
    static func unmigrate(_ store: any CollectorStore) async throws {
        let statements = ["DROP TABLE coverage_days", "DROP TABLE coverage_inventories"]
        if let s = store as? CollectorSQLiteStore {
            try await s.pool.write { db in
                for statement in statements { try db.execute(sql: statement) }
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v600-read-models'")
            }
        } else if let s = store as? CollectorPostgresStore {
            for statement in statements { try await s.client.query(PostgresQuery(unsafeSQL: statement)) }
            try await s.client.query("DELETE FROM schema_migrations WHERE name = 'v600-read-models'")
        }
        await #expect(throws: (any Error).self) { _ = try await store.coverageReadModel(from: 0, through: 1) }
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
                r.inventory = CoverageEvidenceReader.merge(r.inventory, l.inventory)
                r.inventoryAt = CoverageEvidenceReader.later(r.inventoryAt, CoverageEvidenceReader.date(l.at))
            }
            if r != RoomEvidence() { rooms[room] = r }
        }
        return CoverageEvidence(rooms: rooms, usage: done.usage)
    }

    /// What the usage rate reads of the evidence: per room, the active minutes.
    static func activeMinutes(_ e: CoverageEvidence) -> [String: Set<UsageMinute>] {
        e.usage.mapValues { Set($0.filter(\.isActive)) }.filter { !$0.value.isEmpty }
    }
}
