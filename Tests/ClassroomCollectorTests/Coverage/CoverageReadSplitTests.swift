import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import GRDB
import Logging
import PostgresNIO
import Testing

@testable import ClassroomCollector

/// Both stores read a window in ranges of device ids on concurrent connections
/// (``CollectorSQLiteStore/coverageReadModel(from:through:parts:minimum:)``,
/// ``CollectorPostgresStore/coverageReadModel(from:through:parts:minimum:)``): the window must be the
/// one a single pass reads, whatever the number of ranges and wherever their bounds fall, and every
/// range must see the same commits.
private let day = CoverageReadModelTests.day

@Suite("The coverage window read in device ranges")
struct CoverageReadSplitTests {

    /// The enrolled devices of ``CoverageReadModelTests`` with their random uploads, and devices without
    /// any event (one sorting before, one between and one after the others' ids).
    static func load(_ store: any CollectorStore) async throws {
        try await CoverageReadModelTests.enroll(store)
        try await CoverageReadModelTests.load(store, seed: 7)
        for (id, room) in [("0-silent", "R1"), ("b15-silent", "R2"), ("z-silent", "R2")] {
            let d = DeviceRecord(
                id: id, schoolID: "S1", roomID: room, hostname: id, agentVersion: "0.1", publicKey: "k",
                credentialHash: "h-\(id)", enrolledAt: 0)
            _ = try await store.enroll(tokenHash: "eh", roomID: room, device: d, now: 1)
        }
    }

    static func withSplitStore(_ kind: StoreKind, _ body: @Sendable (any SplitReadingStore) async throws -> Void)
        async throws
    {
        try await withStore(kind) { store in try await body(try #require(store as? any SplitReadingStore)) }
    }

    /// What a window holds, comparable: each placement with its device's window (its active minutes as a
    /// set: PostgreSQL packs a device's hours in the order it reads them, which a plan may change).
    static func contents(_ w: CoverageReadModel.Window) -> [String] {
        zip(w.placements, w.devices).map { p, d in
            "\(p) seen \(d.lastSeen.map(String.init) ?? "-") hw \(d.hardware.map { "\($0)" } ?? "-") active \(d.active.sorted())"
        } + ["malformed \(w.malformedRows)"]
    }

    static func expectSameWindows(_ store: any SplitReadingStore) async throws {
        for end in CoverageReadModelTests.ends {
            for days: Int64 in [1, 7] {
                let one = try await store.coverageReadModel(from: end - days * day, through: end, parts: 1)
                for parts in [2, 3, 5, 16] {
                    let split = try await store.coverageReadModel(
                        from: end - days * day, through: end, parts: parts, minimum: 0)
                    #expect(Self.contents(split) == Self.contents(one), "end \(end), \(days) days, \(parts) parts")
                }
            }
        }
    }

    @Test("any number of ranges reads the window of one pass, devices without hours included", arguments: StoreKind.allCases)
    func sameWindow(kind: StoreKind) async throws {
        try await Self.withSplitStore(kind) { store in
            try await Self.load(store)
            let one = try await store.coverageReadModel(from: 20 * day, through: 33 * day, parts: 1)
            // The fixture is no empty window: every device placed, some with hours, some without.
            #expect(Set(one.placements.map(\.deviceID)).count == 8)
            #expect(one.devices.contains { !$0.active.isEmpty } && one.devices.contains { $0.lastSeen == nil })
            try await Self.expectSameWindows(store)
        }
    }

    @Test(
        "the bounds cut the devices into ranges of about equal counts; the device at a bound opens its range",
        arguments: StoreKind.allCases)
    func bounds(kind: StoreKind) async throws {
        try await Self.withSplitStore(kind) { store in
            try await Self.load(store)
            // In the database's order of ids (a PostgreSQL collation need not be Swift's).
            let ids = try await store.coverageReadModel(from: 26 * day, through: 33 * day, parts: 1).placements.map(\.deviceID)
            #expect(ids.count == 8)
            let bounds = { (parts: Int, minimum: Int) in try await store.deviceBounds(parts: parts, minimum: minimum) }
            #expect(try await bounds(2, 0) == [ids[4]])
            #expect(try await bounds(4, 0) == [ids[2], ids[4], ids[6]])
            // More ranges than devices: each device opens its own (the first needs no bound).
            #expect(try await bounds(16, 0) == Array(ids.dropFirst()))
            #expect(try await bounds(1, 0) == [])
            #expect(try await bounds(2, 9) == [], "too few devices to split")
            // A range's devices carry all their hour rows: the window of the range that a device opens
            // holds its whole week, as the one-pass window does.
            let one = try await store.coverageReadModel(from: 26 * day, through: 33 * day, parts: 1)
            let upper = try await store.coverageWindow(from: 26 * day, through: 33 * day, ids: ids[4], nil)
            let lower = try await store.coverageWindow(from: 26 * day, through: 33 * day, ids: nil, ids[4])
            #expect(upper.placements.first?.deviceID == ids[4])
            #expect(lower.placements.map(\.deviceID) == Array(ids[..<4]))
            var joined = lower
            joined.append(upper)
            #expect(Self.contents(joined) == Self.contents(one))
            #expect(Self.contents(upper).first == Self.contents(one)[4])
        }
    }

    @Test("an empty store and a store of one device read the same split or not", arguments: StoreKind.allCases)
    func smallStores(kind: StoreKind) async throws {
        try await Self.withSplitStore(kind) { store in
            try await Self.expectSameWindows(store)
            let w = try await store.coverageReadModel(from: 0, through: 40 * day, parts: 2, minimum: 0)
            #expect(w.placements.isEmpty && w.devices.isEmpty)
        }
        try await Self.withSplitStore(kind) { store in
            _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: CoverageReadModelTests.audit)
            try await store.insertEnrollmentToken(
                EnrollmentTokenRecord(
                    id: "e", schoolID: "S1", secretHash: "eh", maxUses: 5, expiresAt: 100 * day, createdAt: 0, createdBy: "t"),
                audit: CoverageReadModelTests.audit)
            let d = DeviceRecord(
                id: "only", schoolID: "S1", roomID: "R1", hostname: "only", agentVersion: "0.1", publicKey: "k",
                credentialHash: "h", enrolledAt: 0)
            _ = try await store.enroll(tokenHash: "eh", roomID: "R1", device: d, now: 1)
            _ = try await store.appendEvents([
                try CoverageReadModelTests.stored(
                    "only", 1, at: 30 * day,
                    .heartbeat(Heartbeat(agentVersion: "0.1", uptimeSeconds: 5, queueDepth: 0, droppedUsageTotal: 0)))
            ])
            try await Self.expectSameWindows(store)
            let w = try await store.coverageReadModel(from: 29 * day, through: 31 * day, parts: 2, minimum: 0)
            #expect(w.placements.map(\.deviceID) == ["only"])
            #expect(w.devices.first?.lastSeen == 30 * day)
        }
    }

    @Test("uploads committed while the ranges are read: every range sees the same commits", arguments: StoreKind.allCases)
    func oneState(kind: StoreKind) async throws {
        try await Self.withSplitStore(kind) { store in
            try await CoverageReadModelTests.enroll(store)
            let ids = CoverageReadModelTests.devices.map(\.0)
            let heartbeat = AgentEventBody.heartbeat(
                Heartbeat(agentVersion: "0.1", uptimeSeconds: 5, queueDepth: 0, droppedUsageTotal: 0))
            // Each commit gives every device a heartbeat at the same new time.
            func upload(_ k: Int64) async throws {
                _ = try await store.appendEvents(
                    try ids.map { try CoverageReadModelTests.stored($0, k, at: 30 * day + k, heartbeat) })
            }
            try await upload(1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for k in Int64(2)...400 { try await upload(k) } }
                group.addTask {
                    for n in 0..<150 {
                        let w = try await store.coverageReadModel(
                            from: 29 * day, through: 31 * day, parts: 2 + n % 3, minimum: 0)
                        #expect(w.devices.count == ids.count)
                        #expect(Set(w.devices.map(\.lastSeen)).count == 1, "read \(n): \(w.devices.map(\.lastSeen))")
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test("PostgreSQL cuts the ranges at equal counts of the window's hour rows once the table is analysed")
    func hourRowBounds() async throws {
        try await withStore(.postgres) { any in
            let store = try #require(any as? CollectorPostgresStore)
            let logger = Logger(label: "test")
            func bounds(_ parts: Int, hours: ClosedRange<Int64> = 0...100) async throws -> [String]? {
                try await CollectorPostgresStore.readOnly(store.client, logger: logger) { c in
                    try await CollectorPostgresStore.hourRowBounds(c, parts: parts, hours: hours, logger: logger)
                }
            }
            #expect(try await bounds(2) == nil, "never analysed: no estimate")
            // 300 devices: d000…d099 with ten hours each, the others with one (1,200 rows; 600 are the
            // first 60 devices'), and hours outside the window that a quantile must not count.
            try await store.transaction { c in
                try await c.query(
                    """
                    INSERT INTO coverage_hours (device_id, hour, last_at)
                    SELECT 'd' || lpad(d::text, 3, '0'), h, h * 3600000
                    FROM generate_series(0, 299) AS d, generate_series(1, 10) AS h WHERE d < 100 OR h = 1
                    UNION ALL SELECT 'd' || lpad(d::text, 3, '0'), 500, 0 FROM generate_series(200, 299) AS d
                    """, logger: logger)
                try await c.query("ANALYZE coverage_hours", logger: logger)
            }
            // A table this small is sampled whole: the quantiles are exact.
            #expect(try await bounds(2) == ["d059"], "the device count would cut at d150")
            #expect(try await bounds(4) == ["d029", "d059", "d089"])
            #expect(try await bounds(1) == nil)
            #expect(try await bounds(2, hours: 400...600) == ["d249"], "only the window's rows count")
            #expect(try await bounds(2, hours: 700...800) == nil, "no row in the window")
            // Through the store, the balanced ranges read the one-pass window.
            try await Self.load(store)
            try await Self.expectSameWindows(store)
        }
    }
}

/// A store that reads the coverage window in device ranges, as these tests drive it.
protocol SplitReadingStore: CollectorStore {
    func coverageReadModel(from: Int64, through: Int64, parts: Int, minimum: Int) async throws -> CoverageReadModel.Window
    /// The ids that open the ranges after the first.
    func deviceBounds(parts: Int, minimum: Int) async throws -> [String]
    /// One range's window, read alone.
    func coverageWindow(from: Int64, through: Int64, ids lower: String?, _ upper: String?) async throws
        -> CoverageReadModel.Window
}

extension SplitReadingStore {
    func coverageReadModel(from: Int64, through: Int64, parts: Int) async throws -> CoverageReadModel.Window {
        try await coverageReadModel(from: from, through: through, parts: parts, minimum: 0)
    }
}

extension CollectorSQLiteStore: SplitReadingStore {
    func deviceBounds(parts: Int, minimum: Int) async throws -> [String] {
        try await pool.read { db in try Self.deviceBounds(db, parts: parts, minimum: minimum) }
    }

    func coverageWindow(from: Int64, through: Int64, ids lower: String?, _ upper: String?) async throws
        -> CoverageReadModel.Window
    {
        try await pool.read { db in try Self.coverageWindow(db, from: from, through: through, ids: lower, upper) }
    }
}

extension CollectorPostgresStore: SplitReadingStore {
    func deviceBounds(parts: Int, minimum: Int) async throws -> [String] {
        try await Self.readOnly(client, logger: logger) { c in
            try await Self.deviceBounds(c, parts: parts, minimum: minimum, logger: logger)
        }
    }

    func coverageWindow(from: Int64, through: Int64, ids lower: String?, _ upper: String?) async throws
        -> CoverageReadModel.Window
    {
        try await Self.readOnly(client, logger: logger) { c in
            try await Self.coverageWindow(c, from: from, through: through, ids: lower, upper, logger: logger)
        }
    }
}
