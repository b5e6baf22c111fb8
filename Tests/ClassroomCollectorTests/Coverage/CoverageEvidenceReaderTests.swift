import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import Testing

/// ``CoverageEvidenceReader`` on both stores: devices of one room merge, revoked devices and
/// unbound devices count for nothing, stored events outside the window are left out.
@Suite("Coverage evidence from the store")
struct CoverageEvidenceReaderTests {
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")
    static let day: Int64 = 86_400_000

    static func stored(_ device: String, _ seq: Int64, at: Int64, _ body: AgentEventBody) throws -> StoredEvent {
        let json = try JSONEncoder().encode(AgentEvent(seq: seq, at: at, body: body))
        return StoredEvent(
            deviceID: device, seq: seq, kind: body.kind, agentAt: at, at: at, receivedAt: at,
            body: String(decoding: json, as: UTF8.self))
    }

    static func device(_ id: String, room: String) -> DeviceRecord {
        DeviceRecord(
            id: id, schoolID: "S1", roomID: room, hostname: id, agentVersion: "0.1", publicKey: "k", credentialHash: "h-\(id)",
            enrolledAt: 0)
    }

    /// The test registry and an enrollment token of school S1, then `devices` (id, room) enrolled with it.
    static func enroll(_ devices: [(id: String, room: String)], into store: any CollectorStore) async throws {
        _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: audit)
        try await store.insertEnrollmentToken(
            EnrollmentTokenRecord(
                id: "e", schoolID: "S1", secretHash: "eh", maxUses: 5, expiresAt: 100 * day, createdAt: 0, createdBy: "t"),
            audit: audit)
        for (id, room) in devices {
            _ = try await store.enroll(tokenHash: "eh", roomID: room, device: device(id, room: room), now: 1)
        }
    }

    @Test("two devices in one room add up; a revoked one and old events do not", arguments: StoreKind.allCases)
    func merge(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll([("screen", "R1"), ("touch", "R1"), ("gone", "R2")], into: store)
            let end = 30 * Self.day
            var display = HardwareInventory()
            display.displays = [Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On")]
            var touch = HardwareInventory()
            touch.touchscreens = [Touchscreen(id: "t", name: "Touch", devnode: "/dev/input/event4")]
            _ = try await store.appendEvents([
                try Self.stored("screen", 1, at: end - Self.day, .inventorySnapshot(display)),
                try Self.stored("touch", 1, at: end - 20 * Self.day, .inventorySnapshot(display)),  // before the window
                try Self.stored("touch", 2, at: end - 2 * Self.day, .inventorySnapshot(touch)),
                try Self.stored("gone", 1, at: end - Self.day, .inventorySnapshot(display)),
            ])
            _ = try await store.revokeDevice(id: "gone", at: 2, audit: Self.audit)
            let read = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: 7)
            let r1 = try #require(read.evidence.rooms["R1"])
            #expect(r1.hardware == [.display, .touchscreen])
            #expect(r1.inventoryAt == Date(timeIntervalSince1970: Double(end - Self.day) / 1000))
            #expect(r1.lastSeen == Date(timeIntervalSince1970: Double(end - Self.day) / 1000))
            #expect(read.evidence.rooms["R2"] == nil)
            #expect(read.notMeasured.map(\.key) == [.recordingClassrooms])
        }
    }

    @Test(
        "as of a past day: a device revoked later still counts; at one instant the higher seq wins",
        arguments: StoreKind.allCases)
    func asOf(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll([("box", "R1")], into: store)
            let end = 30 * Self.day
            var display = HardwareInventory()
            display.displays = [Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On")]
            var both = display
            both.touchscreens = [Touchscreen(id: "t", name: "Touch", devnode: "/dev/input/event4")]
            _ = try await store.appendEvents([
                try Self.stored("box", 2, at: end - Self.day, .inventorySnapshot(both)),
                try Self.stored("box", 1, at: end - Self.day, .inventorySnapshot(display)),
            ])
            _ = try await store.revokeDevice(id: "box", at: end + Self.day, audit: Self.audit)
            let then = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: 7)
            #expect(then.evidence.rooms["R1"]?.hardware == [.display, .touchscreen])
            let after = try await CoverageEvidenceReader(store: store).read(end: end + 2 * Self.day, windowDays: 7)
            #expect(after.evidence.rooms["R1"] == nil)
        }
    }

    @Test(
        "usage minutes: moved by the batch's skew, outside the window left out, bodies without the fields skipped",
        arguments: StoreKind.allCases)
    func usage(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.enroll([("box", "R1")], into: store)
            let end = 30 * Self.day
            let start = end - Self.day
            let minute = UsageMinute(
                minuteStart: start, displayOn: true, touchEvents: 3, speechSeconds: 7.5, meanDBFS: -30, peakDBFS: -10,
                clippingRatio: 0, devicesPresent: DevicesPresent(displays: 1))
            var skewed = try Self.stored("box", 1, at: start, .usageMinute(minute))
            skewed.at = start + 90_000  // the agent's clock was 90 s slow
            var old = try Self.stored("box", 2, at: end - 9 * Self.day, .usageMinute(minute))
            old.at = end - 9 * Self.day
            let broken = StoredEvent(
                deviceID: "box", seq: 3, kind: "usage_minute", agentAt: start, at: start, receivedAt: start,
                body: #"{"kind":"usage_minute","usage_minute":{"display_on":true}}"#)
            // Display on without touch or speech: a contact, not an active minute.
            var idle = minute
            idle.minuteStart = start + 60_000
            idle.touchEvents = 0
            idle.speechSeconds = 0
            let quiet = try Self.stored("box", 4, at: start + 60_000, .usageMinute(idle))
            _ = try await store.appendEvents([skewed, old, broken, quiet])
            let read = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: 7)
            // Only the active minute in the window, its start on the collector's clock.
            #expect(read.evidence.activeMinutes == ["R1": [start + 90_000]])
            #expect(read.evidence.rooms["R1"]?.lastSeen == Date(timeIntervalSince1970: Double(start + 90_000) / 1000))
        }
    }
}
