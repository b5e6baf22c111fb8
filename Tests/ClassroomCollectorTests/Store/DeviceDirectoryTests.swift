import ClassroomCore
import ClassroomWire
import Foundation
import Testing

@testable import ClassroomCollector

/// The device list read by `/api/v1/devices` and the console: filters and keyset paging in the
/// database, the hardware read-model kept at ingest, and the per-school counts, on both stores.
@Suite("Device directory")
struct DeviceDirectoryTests {
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")

    static func stored(_ device: String, _ seq: Int64, _ body: AgentEventBody) throws -> StoredEvent {
        let json = try JSONEncoder().encode(AgentEvent(seq: seq, at: seq, body: body))
        return StoredEvent(
            deviceID: device, seq: seq, kind: body.kind, agentAt: seq, at: seq, receivedAt: seq,
            body: String(decoding: json, as: UTF8.self))
    }

    static func inventory(cameras: Int, microphones: Int) -> HardwareInventory {
        var i = HardwareInventory()
        i.cameras = (0..<cameras).map {
            Camera(id: "c\($0)", name: "Cam", devnode: "/dev/video\($0)", vendorID: "1", modelID: "2", bus: "usb")
        }
        i.microphones = (0..<microphones).map {
            AudioEndpoint(id: "m\($0)", card: 0, device: $0, name: "Mic", pcm: "hw:0,\($0)", devnode: "/dev/snd/pcmC0D\($0)c")
        }
        return i
    }

    /// Eight devices in S1 (d01…d08, versions 0.9.2 and 0.10.0) and two in S2 (e1, e2, version 0.10.0).
    static func seed(_ store: any CollectorStore) async throws {
        _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: audit)
        for (token, school) in [("t1", "S1"), ("t2", "S2")] {
            try await store.insertEnrollmentToken(
                EnrollmentTokenRecord(
                    id: token, schoolID: school, secretHash: token, maxUses: 20, expiresAt: 1_000_000, createdAt: 0,
                    createdBy: "t"), audit: audit)
        }
        for n in 1...8 {
            let id = "d0\(n)"
            let d = DeviceRecord(
                id: id, schoolID: "S1", roomID: n % 2 == 0 ? "R2" : "R1", hostname: "host-\(id)",
                agentVersion: n <= 3 ? "0.9.2" : "0.10.0", publicKey: "k", credentialHash: "h\(id)", enrolledAt: 1)
            _ = try await store.enroll(tokenHash: "t1", roomID: d.roomID!, device: d, now: 1)
        }
        for id in ["e1", "e2"] {
            let d = DeviceRecord(
                id: id, schoolID: "S2", roomID: "R3", hostname: "host-\(id)", agentVersion: "0.10.0", publicKey: "k",
                credentialHash: "h\(id)", enrolledAt: 1)
            _ = try await store.enroll(tokenHash: "t2", roomID: "R3", device: d, now: 1)
        }
    }

    @Test("filters and keyset paging are done by the database", arguments: StoreKind.allCases)
    func pagingAndFilters(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            // d01: camera + mic; d02: camera only (an older snapshot had a mic); d03: nothing; others: no inventory.
            _ = try await store.ingest(
                [
                    try Self.stored("d01", 1, .inventorySnapshot(Self.inventory(cameras: 1, microphones: 1))),
                    try Self.stored("d02", 1, .inventorySnapshot(Self.inventory(cameras: 1, microphones: 1))),
                    try Self.stored("d02", 2, .inventorySnapshot(Self.inventory(cameras: 1, microphones: 0))),
                    try Self.stored("d03", 1, .inventorySnapshot(Self.inventory(cameras: 0, microphones: 0))),
                ], deviceID: "d01", at: 5_000, clockSkewMillis: 0)
            // A late, older event must not overwrite the newer hardware of d02.
            _ = try await store.appendEvents([
                try Self.stored("d02", 0, .inventorySnapshot(Self.inventory(cameras: 0, microphones: 3)))
            ])
            _ = try await store.revokeDevice(id: "d08", at: 9, audit: Self.audit)

            var q = DevicePageQuery(limit: 3)
            var seen: [String] = []
            while true {
                let page = try await store.devicePage(q)
                #expect(page.total == 10)
                seen += page.devices.map(\.device.id)
                guard page.devices.count == 3, let last = page.devices.last else { break }
                q.after = last.device.id
            }
            #expect(seen == ["d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "e1", "e2"])

            var s1 = DevicePageQuery(schoolID: "S1", limit: 100)
            let first = try await store.devicePage(s1)
            #expect(first.total == 8)
            #expect(first.devices.first?.schoolName == "龙树九年一贯制学校")
            #expect(first.devices.first?.roomName == "一年级1班")
            #expect(first.devices.first { $0.device.id == "d02" }?.microphones == 0)
            #expect(first.devices.first { $0.device.id == "d02" }?.cameras == 1)
            #expect(first.devices.first { $0.device.id == "d04" }?.cameras == nil)

            s1.noCamera = true
            #expect(try await store.devicePage(s1).devices.map(\.device.id) == ["d03"])
            s1.noCamera = false
            s1.noMicrophone = true
            #expect(try await store.devicePage(s1).devices.map(\.device.id) == ["d02", "d03"])
            s1.noMicrophone = false
            s1.agentVersions = ["0.9.2"]
            #expect(try await store.devicePage(s1).devices.map(\.device.id) == ["d01", "d02", "d03"])
            s1.agentVersions = nil
            // d01 was seen at 5,000; everyone else never; d08 is revoked.
            s1.offlineBefore = 4_000
            #expect(try await store.devicePage(s1).total == 7)
            s1.activeOnly = true
            #expect(try await store.devicePage(s1).total == 6)
            s1.offlineBefore = 6_000
            #expect(try await store.devicePage(s1).total == 7)

            #expect(try await store.agentVersions(schoolID: nil) == ["0.9.2": 3, "0.10.0": 6])
            let counts = try await store.deviceCounts(schoolID: nil, onlineSince: 4_000)
            #expect(counts["S1"] == DeviceCounts(total: 7, online: 1))
            #expect(counts["S2"] == DeviceCounts(total: 2, online: 0))
            #expect(try await store.deviceCounts(schoolID: "S2", onlineSince: 0).keys.sorted() == ["S2"])
        }
    }

    @Test("the shared device queries scope a school admin and find outdated agents", arguments: StoreKind.allCases)
    func queries(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            let queries = DeviceQueries(store: store, now: { 10_000 }, onlineWindow: 1_000)
            let bureau = OperatorPrincipal(tokenID: "b", name: "b", role: .bureauViewer, schoolID: nil)
            let school = OperatorPrincipal(tokenID: "s", name: "s", role: .schoolAdmin, schoolID: "S2")
            #expect(try await queries.outdatedVersions(schoolID: nil) == ["0.9.2"])
            var outdated = DeviceQueries.Filter()
            outdated.outdated = true
            #expect(try await queries.page(bureau, outdated, after: nil, limit: 50).total == 3)
            #expect(try await queries.page(school, outdated, after: nil, limit: 50).total == 0)
            #expect(try await queries.page(school, .init(), after: nil, limit: 50).devices.map(\.device.id) == ["e1", "e2"])
            await #expect(throws: APIError.self) {
                _ = try await queries.page(school, .init(schoolID: "S1"), after: nil, limit: 50)
            }
            await #expect(throws: APIError.self) { _ = try await queries.device(school, id: "d01") }
            #expect(try await queries.device(school, id: "e1").hostname == "host-e1")
            #expect(try await queries.counts(school).keys.sorted() == ["S2"])
            let viewer = OperatorPrincipal(tokenID: "v", name: "v", role: .bureauViewer, schoolID: nil)
            await #expect(throws: APIError.self) { try await queries.revoke(viewer, id: "d01") }
            #expect(try await store.device(id: "d01")?.revokedAt == nil)
        }
    }

    @Test("agent versions order numerically")
    func versionOrder() {
        #expect(DebianVersion.less("0.9.2", "0.10.0"))
        #expect(!DebianVersion.less("0.10.0", "0.9.2"))
        #expect(DebianVersion.less("1.0", "1.0.1"))
        #expect(!DebianVersion.less("1.0", "1.0"))
    }
}

extension DeviceDirectoryTests {
    @Test("one device's listing carries its school and room names", arguments: StoreKind.allCases)
    func oneDevice(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            var q = DevicePageQuery(limit: 5)
            q.deviceID = "e2"
            let page = try await store.devicePage(q)
            #expect(page.total == 1)
            #expect(page.devices.map(\.device.id) == ["e2"])
            #expect(page.devices.first?.schoolName == "水磨中心小学")
            let queries = DeviceQueries(store: store, now: { 0 }, onlineWindow: 1)
            let school = OperatorPrincipal(tokenID: "s", name: "s", role: .schoolAdmin, schoolID: "S1")
            #expect(try await queries.listing(school, id: "d01").roomName == "一年级1班")
            await #expect(throws: APIError.self) { _ = try await queries.listing(school, id: "e2") }
        }
    }
}
