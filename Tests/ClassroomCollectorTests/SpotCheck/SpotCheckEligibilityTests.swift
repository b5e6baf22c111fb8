import ClassroomCore
import ClassroomWire
import Foundation
import Testing

@testable import ClassroomCollector

/// Which rooms a draw may call, read from the devices' hardware read-model (kept at ingest) and never
/// from the event log; and the migration that fills that read-model for devices whose inventories
/// were stored before it existed.
@Suite("Spot-check eligibility")
struct SpotCheckEligibilityTests {
    typealias D = DeviceDirectoryTests
    static let now: Int64 = 10_000_000
    static let configuration = SpotCheckConfiguration(seenWithinSeconds: 3_600)

    /// d01 (R1): camera + mic, seen now. d02 (R2): camera + mic, then a change that lost the mic.
    /// d03 (R1): camera + mic, seen two hours ago. d04 (R2): camera + mic, revoked. d05 (R1): camera
    /// + mic, seen now, newer than d01. d06 (R2): no inventory. e1 (R3): camera + mic (sent out of
    /// order: the older snapshot without a mic arrives last).
    static func stage(_ store: any CollectorStore) async throws {
        try await D.seed(store)
        let both = D.inventory(cameras: 1, microphones: 2)
        _ = try await store.appendEvents([
            try D.stored("d01", 1, .inventorySnapshot(both)),
            try D.stored("d02", 1, .inventorySnapshot(both)),
            try D.stored(
                "d02", 2,
                .inventoryChange(
                    InventoryChange(
                        action: .remove, deviceKind: "microphone", deviceID: "m0",
                        inventory: D.inventory(cameras: 1, microphones: 0)))),
            try D.stored("d03", 1, .inventorySnapshot(both)),
            try D.stored("d04", 1, .inventorySnapshot(both)),
            try D.stored("d05", 1, .inventorySnapshot(D.inventory(cameras: 2, microphones: 1))),
            try D.stored("e1", 5, .inventorySnapshot(both)),
        ])
        _ = try await store.appendEvents([try D.stored("e1", 4, .inventorySnapshot(D.inventory(cameras: 1, microphones: 0)))])
        for (device, seen) in [
            ("d01", now - 10), ("d02", now), ("d03", now - 7_200_000), ("d04", now), ("d05", now - 5),
            ("d06", now), ("e1", now - 3_600_000),
        ] {
            try await store.markSeen(deviceID: device, at: seen, clockSkewMillis: nil)
        }
        _ = try await store.revokeDevice(id: "d04", at: 1, audit: D.audit)
    }

    static func eligible(_ store: any CollectorStore) async throws -> [String: String] {
        try await SpotCheckEligibilityReader(store: store, configuration: configuration).eligibleRooms(now: now)
            .mapValues(\.id)
    }

    static func eligibleRoomIDs(_ store: any CollectorStore) async throws -> Set<String> {
        try await SpotCheckEligibilityReader(store: store, configuration: configuration).eligibleRoomIDs(now: now)
    }

    @Test(
        "eligible rooms: a recent, unrevoked device whose newest inventory has a camera and a microphone",
        arguments: StoreKind.allCases)
    func eligibleRooms(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.stage(store)
            // R1: d05 (seen after d01; d03 too long ago). R2: none (d02 lost its mic, d04 revoked, d06 no inventory).
            // R3: e1 (its newest snapshot by seq has a mic; the late older one does not count; seen exactly an hour ago).
            #expect(try await Self.eligible(store) == ["R1": "d05", "R3": "e1"])
            #expect(try await store.streamCapableDevices(seenSince: Self.now - 3_600_000).map(\.id) == ["d01", "d05", "e1"])
            // What the draw reads: the same rooms, R1 once though two of its devices qualify.
            #expect(try await Self.eligibleRoomIDs(store) == ["R1", "R3"])
            #expect(try await store.streamCapableRooms(seenSince: 0) == ["R1", "R3"])
            #expect(try await store.streamCapableRooms(seenSince: Self.now).isEmpty)
            // The event log is not what is read: with the events gone, the answer stays.
            try await execute(store, "DELETE FROM events")
            #expect(try await Self.eligible(store) == ["R1": "d05", "R3": "e1"])
        }
    }

    @Test("v650 fills the hardware read-model of devices whose inventories predate it", arguments: StoreKind.allCases)
    func backfill(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.stage(store)
            let before = try await store.devicePage(DevicePageQuery(limit: 100)).devices
            // The store as a collector before v400 left it: inventories stored, no counts.
            try await execute(store, "UPDATE devices SET cameras = NULL, microphones = NULL, inventory_seq = NULL")
            #expect(try await Self.eligible(store).isEmpty)
            try await execute(
                store,
                kind == .sqlite
                    ? "DELETE FROM grdb_migrations WHERE identifier = '\(DeviceDirectorySchema.hardwareBackfill.name)'"
                    : "DELETE FROM schema_migrations WHERE name = '\(DeviceDirectorySchema.hardwareBackfill.name)'")
            try await store.migrate()
            #expect(try await Self.eligible(store) == ["R1": "d05", "R3": "e1"])
            #expect(try await store.devicePage(DevicePageQuery(limit: 100)).devices == before)
            // A newer inventory after the back-fill still wins; an older one still does not.
            _ = try await store.appendEvents([try D.stored("e1", 6, .inventorySnapshot(D.inventory(cameras: 0, microphones: 1)))])
            _ = try await store.appendEvents([try D.stored("d01", 0, .inventorySnapshot(D.inventory(cameras: 0, microphones: 0)))]
            )
            #expect(try await Self.eligible(store) == ["R1": "d05"])
            #expect(try await Self.eligibleRoomIDs(store) == ["R1"])
            #expect(try await store.streamCapableDevices(seenSince: 0).map(\.id) == ["d01", "d03", "d05"])
        }
    }
}
