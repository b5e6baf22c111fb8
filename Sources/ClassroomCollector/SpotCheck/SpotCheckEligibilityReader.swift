import ClassroomCore
import ClassroomWire
import Foundation

/// Which rooms can be called: rooms with an enrolled, unrevoked device heard from recently whose
/// latest inventory (snapshot or hotplug change) has a camera and a microphone.
struct SpotCheckEligibilityReader: Sendable {
    let store: any CollectorStore
    let configuration: SpotCheckConfiguration

    /// Eligible rooms, and for each the device that would stream it (the most recently seen).
    func eligibleRooms(now: Int64) async throws -> [String: DeviceRecord] {
        let inventories = try await latestInventories()
        let seenSince = now - configuration.seenWithinSeconds * 1000
        var rooms: [String: DeviceRecord] = [:]
        for device in try await store.devices(schoolID: nil) {
            guard device.revokedAt == nil, let room = device.roomID, let seen = device.lastSeenAt, seen >= seenSince,
                let inventory = inventories[device.id], !inventory.cameras.isEmpty, !inventory.microphones.isEmpty
            else { continue }
            if let other = rooms[room], (other.lastSeenAt ?? 0) >= seen { continue }
            rooms[room] = device
        }
        return rooms
    }

    /// The newest inventory each device reported.
    func latestInventories() async throws -> [String: HardwareInventory] {
        let decoder = JSONDecoder()
        var result: [String: HardwareInventory] = [:]
        for event in try await store.latestInventoryEvents() {
            guard let decoded = try? decoder.decode(AgentEvent.self, from: Data(event.body.utf8)) else { continue }
            switch decoded.body {
            case .inventorySnapshot(let inventory): result[event.deviceID] = inventory
            case .inventoryChange(let change): result[event.deviceID] = change.inventory
            default: continue
            }
        }
        return result
    }

    /// The unrevoked device of `roomID` heard from most recently, if any (eligible or not).
    func device(ofRoom roomID: String) async throws -> DeviceRecord? {
        guard let school = try await store.schoolOfRoom(roomID) else { return nil }
        return try await store.devices(schoolID: school).filter { $0.roomID == roomID && $0.revokedAt == nil }
            .max { ($0.lastSeenAt ?? 0) < ($1.lastSeenAt ?? 0) }
    }
}
