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
        var rooms: [String: DeviceRecord] = [:]
        for device in try await store.streamCapableDevices(seenSince: now - configuration.seenWithinSeconds * 1000) {
            guard let room = device.roomID, let seen = device.lastSeenAt else { continue }
            if let other = rooms[room], (other.lastSeenAt ?? 0) >= seen { continue }
            rooms[room] = device
        }
        return rooms
    }

    /// The eligible rooms alone (what the draw needs), read without the devices.
    func eligibleRoomIDs(now: Int64) async throws -> Set<String> {
        try await store.streamCapableRooms(seenSince: now - configuration.seenWithinSeconds * 1000)
    }

    /// The unrevoked device of `roomID` heard from most recently, if any (eligible or not).
    func device(ofRoom roomID: String) async throws -> DeviceRecord? {
        guard let school = try await store.schoolOfRoom(roomID) else { return nil }
        return try await store.devices(schoolID: school).filter { $0.roomID == roomID && $0.revokedAt == nil }
            .max { ($0.lastSeenAt ?? 0) < ($1.lastSeenAt ?? 0) }
    }
}
