#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a room can do for the coverage targets, verified by its agent or declared by its school.
public struct RoomCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 智慧黑板: a display and a touchscreen.
    public static let smartBlackboard = RoomCapabilities(rawValue: 1 << 0)
    /// 标准数字教室: a smart blackboard plus a speaker and a microphone.
    public static let digitalClassroom = RoomCapabilities(rawValue: 1 << 1)
    /// 网络多媒体教室: a display and a network connection (verified: the agent is online).
    public static let multimediaClassroom = RoomCapabilities(rawValue: 1 << 2)
    /// 互动直录播教室: a `recording` room with camera and microphone (verified: and a successful
    /// spot-check or self-test stream, ``RecordingBasis``).
    public static let recordingClassroom = RoomCapabilities(rawValue: 1 << 3)
    /// On the education network (verified: the agent was seen within the window).
    public static let networked = RoomCapabilities(rawValue: 1 << 4)

    /// Capabilities from what the school declares (`rooms.csv` `declared` column).
    public static func declared(_ room: Room) -> RoomCapabilities {
        guard let set = room.declared else { return [] }
        // One walk of the set instead of a hash per question: a province has 233,000 rooms.
        var d = DeclaredEquipment.Mask()
        for e in set { d.insert(e) }
        var caps: RoomCapabilities = []
        if d.contains(.display), d.contains(.touch) { caps.insert(.smartBlackboard) }
        if caps.contains(.smartBlackboard), d.contains(.speaker), d.contains(.microphone) { caps.insert(.digitalClassroom) }
        if d.contains(.display), d.contains(.network) { caps.insert(.multimediaClassroom) }
        if room.kind == .recording, d.contains(.camera), d.contains(.microphone) { caps.insert(.recordingClassroom) }
        if d.contains(.network) { caps.insert(.networked) }
        return caps
    }

    /// Capabilities from the agent's evidence: the latest inventory within `window` before `now`,
    /// the agent seen within the window, a successful spot-check or self-test stream within the window.
    ///
    /// - Important: an inventory or a stream older than the window counts for nothing: an agent gone
    ///   silent proves nothing about today.
    public static func verified(_ room: Room, evidence: RoomEvidence?, now: Date, window: Duration) -> RoomCapabilities {
        guard let evidence else { return [] }
        let since = now.addingTimeInterval(-Double(window.components.seconds))
        func recent(_ d: Date?) -> Bool { d.map { $0 >= since && $0 <= now } ?? false }
        var caps: RoomCapabilities = []
        let online = recent(evidence.lastSeen)
        if online { caps.insert(.networked) }
        guard let hardware = evidence.hardware, recent(evidence.inventoryAt) else { return caps }
        let display = hardware.contains(.display)
        if display, hardware.contains(.touchscreen) { caps.insert(.smartBlackboard) }
        if caps.contains(.smartBlackboard), hardware.isSuperset(of: [.speaker, .microphone]) {
            caps.insert(.digitalClassroom)
        }
        if display, online { caps.insert(.multimediaClassroom) }
        if RecordingBasis.of(room, evidence: evidence, now: now, window: window)?.isVerified == true {
            caps.insert(.recordingClassroom)
        }
        return caps
    }
}

/// What of a room's hardware the coverage targets read from an inventory: the summary the collector
/// keeps per stored inventory at ingest, so that a report never decodes inventories. Several devices
/// in one room add up (their summaries' union).
public struct HardwareSummary: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A display that is not disconnected.
    public static let display = HardwareSummary(rawValue: 1 << 0)
    public static let touchscreen = HardwareSummary(rawValue: 1 << 1)
    public static let speaker = HardwareSummary(rawValue: 1 << 2)
    public static let microphone = HardwareSummary(rawValue: 1 << 3)
    public static let camera = HardwareSummary(rawValue: 1 << 4)

    /// What `inventory` holds of it.
    public init(_ inventory: HardwareInventory) {
        self = []
        if inventory.displays.contains(where: { $0.status != .disconnected }) { insert(.display) }
        if !inventory.touchscreens.isEmpty { insert(.touchscreen) }
        if !inventory.speakers.isEmpty { insert(.speaker) }
        if !inventory.microphones.isEmpty { insert(.microphone) }
        if !inventory.cameras.isEmpty { insert(.camera) }
    }
}

/// What the collector knows about one room's agent: the plain input of the verified basis.
public struct RoomEvidence: Sendable, Hashable {
    /// What the room's latest inventories (one per device) hold, and when the latest was reported.
    public var hardware: HardwareSummary?
    public var inventoryAt: Date?
    /// The last time the agent talked to the collector.
    public var lastSeen: Date?
    /// The end of the last spot-check stream the media server confirmed.
    public var lastSuccessfulStream: Date?
    /// The end of the last self-test stream (自检推流) the media server confirmed.
    public var lastSelfTestStream: Date?

    public init(
        hardware: HardwareSummary? = nil, inventoryAt: Date? = nil, lastSeen: Date? = nil, lastSuccessfulStream: Date? = nil,
        lastSelfTestStream: Date? = nil
    ) {
        self.hardware = hardware
        self.inventoryAt = inventoryAt
        self.lastSeen = lastSeen
        self.lastSuccessfulStream = lastSuccessfulStream
        self.lastSelfTestStream = lastSelfTestStream
    }
}

extension RoomEvidence {
    /// The evidence of a room whose agent reported `inventory`.
    public init(
        inventory: HardwareInventory?, inventoryAt: Date? = nil, lastSeen: Date? = nil, lastSuccessfulStream: Date? = nil,
        lastSelfTestStream: Date? = nil
    ) {
        self.init(
            hardware: inventory.map(HardwareSummary.init), inventoryAt: inventoryAt, lastSeen: lastSeen,
            lastSuccessfulStream: lastSuccessfulStream, lastSelfTestStream: lastSelfTestStream)
    }
}

/// Everything the verified basis reads, by room id; the collector fills it from its store.
public struct CoverageEvidence: Sendable, Hashable {
    public var rooms: [String: RoomEvidence]
    /// By room id, the start (milliseconds since 1970, on the collector's clock) of each **active** usage
    /// minute (``UsageMinute/isActive``), in any order: all the usage rate reads of a minute. A province's
    /// week is millions of minutes, so the report carries 8 bytes of each, not the whole minute.
    public var activeMinutes: [String: [Int64]]

    public init(rooms: [String: RoomEvidence] = [:], activeMinutes: [String: [Int64]] = [:]) {
        self.rooms = rooms
        self.activeMinutes = activeMinutes
    }

    /// The evidence of rooms whose agents reported `usage` (every minute; only the active ones count).
    public init(rooms: [String: RoomEvidence] = [:], usage: [String: [UsageMinute]]) {
        var active: [String: [Int64]] = [:]
        for (room, minutes) in usage {
            let starts = minutes.filter(\.isActive).map(\.minuteStart)
            if !starts.isEmpty { active[room] = starts }
        }
        self.init(rooms: rooms, activeMinutes: active)
    }
}

/// Which figures a report is computed from.
public enum CoverageBasis: String, Codable, Sendable, Hashable, CaseIterable {
    /// What agents verified (the default once agents are installed).
    case verified
    /// What schools declare in `rooms.csv`; usage is not measured on this basis.
    case declared
}

extension DeclaredEquipment {
    /// A set of declared equipment as bits.
    struct Mask {
        private var bits: UInt8 = 0

        mutating func insert(_ e: DeclaredEquipment) { bits |= Self.bit(e) }
        func contains(_ e: DeclaredEquipment) -> Bool { bits & Self.bit(e) != 0 }

        private static func bit(_ e: DeclaredEquipment) -> UInt8 {
            switch e {
            case .display: 1 << 0
            case .touch: 1 << 1
            case .speaker: 1 << 2
            case .microphone: 1 << 3
            case .camera: 1 << 4
            case .network: 1 << 5
            }
        }
    }
}
