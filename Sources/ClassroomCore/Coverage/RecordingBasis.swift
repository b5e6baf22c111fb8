#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Why a `recording` room counts, or does not count, as a verified recording classroom (互动直录播教室):
/// the basis the report shows beside each recording-room figure.
///
/// A room is verified when its camera and microphone are in the recent inventory **and** a stream the
/// media server confirmed succeeded within the window: a called lesson (抽查直播) or the weekly
/// self-test publish (自检推流). When both did, the spot-check is the basis (a lesson really streamed).
public enum RecordingBasis: String, Codable, Sendable, Hashable, CaseIterable {
    /// Camera + microphone, and a spot-check stream succeeded in the window.
    case spotCheck = "spotcheck"
    /// Camera + microphone, and a self-test stream (no spot-check) succeeded in the window.
    case selfTest = "selftest"
    /// Camera + microphone in the recent inventory, but no successful stream in the window.
    case noStream = "no_stream"
    /// No recent inventory with both a camera and a microphone (or no agent at all).
    case noEquipment = "no_equipment"

    /// Whether the room counts as a verified recording classroom.
    public var isVerified: Bool { self == .spotCheck || self == .selfTest }

    /// The basis of a `recording` room's figure from its agent's evidence; nil for other kinds of room.
    ///
    /// - Important: an inventory or a stream outside `(now - window)...now` counts for nothing.
    public static func of(_ room: Room, evidence: RoomEvidence?, now: Date, window: Duration) -> RecordingBasis? {
        guard room.kind == .recording else { return nil }
        guard let evidence, let hardware = evidence.hardware else { return .noEquipment }
        let since = now.addingTimeInterval(-Double(window.components.seconds))
        func recent(_ d: Date?) -> Bool { d.map { $0 >= since && $0 <= now } ?? false }
        guard recent(evidence.inventoryAt), hardware.isSuperset(of: [.camera, .microphone]) else {
            return .noEquipment
        }
        if recent(evidence.lastSuccessfulStream) { return .spotCheck }
        if recent(evidence.lastSelfTestStream) { return .selfTest }
        return .noStream
    }
}

/// How many recording rooms rest on each ``RecordingBasis``: the basis of a recording-room figure
/// (JSON `recording_basis`, verified basis only).
///
/// - Important: it counts every `recording` room of the registry (teaching points included), not the
///   capped count of the `recording_classrooms` indicator, so a reader sees what stands behind it.
public struct RecordingBasisTally: Codable, Sendable, Hashable {
    /// Rooms of kind `recording`.
    public var rooms: Int
    public var spotCheck: Int
    public var selfTest: Int
    public var noStream: Int
    public var noEquipment: Int

    public init(rooms: Int = 0, spotCheck: Int = 0, selfTest: Int = 0, noStream: Int = 0, noEquipment: Int = 0) {
        self.rooms = rooms
        self.spotCheck = spotCheck
        self.selfTest = selfTest
        self.noStream = noStream
        self.noEquipment = noEquipment
    }

    /// Rooms verified by a spot-check or a self-test.
    public var verified: Int { spotCheck + selfTest }

    /// Counts one room.
    public mutating func add(_ basis: RecordingBasis) {
        rooms += 1
        switch basis {
        case .spotCheck: spotCheck += 1
        case .selfTest: selfTest += 1
        case .noStream: noStream += 1
        case .noEquipment: noEquipment += 1
        }
    }

    /// The sum of two tallies (a county from its schools).
    public static func + (a: Self, b: Self) -> Self {
        RecordingBasisTally(
            rooms: a.rooms + b.rooms, spotCheck: a.spotCheck + b.spotCheck, selfTest: a.selfTest + b.selfTest,
            noStream: a.noStream + b.noStream, noEquipment: a.noEquipment + b.noEquipment)
    }

    enum CodingKeys: String, CodingKey {
        case rooms, verified
        case spotCheck = "verified_by_spotcheck"
        case selfTest = "verified_by_selftest"
        case noStream = "equipped_no_stream"
        case noEquipment = "no_equipment"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rooms = try c.decode(Int.self, forKey: .rooms)
        spotCheck = try c.decode(Int.self, forKey: .spotCheck)
        selfTest = try c.decode(Int.self, forKey: .selfTest)
        noStream = try c.decode(Int.self, forKey: .noStream)
        noEquipment = try c.decode(Int.self, forKey: .noEquipment)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rooms, forKey: .rooms)
        try c.encode(verified, forKey: .verified)
        try c.encode(spotCheck, forKey: .spotCheck)
        try c.encode(selfTest, forKey: .selfTest)
        try c.encode(noStream, forKey: .noStream)
        try c.encode(noEquipment, forKey: .noEquipment)
    }
}
