import ClassroomCore
import ClassroomWire
import Foundation

/// Where successful spot-check streams come from: ``SpotCheckStreamEvidence`` reads the media
/// server's publish records; without a source the recording indicator is reported as not measured.
public protocol StreamEvidenceSource: Sendable {
    /// The end of the last successful lesson stream (spot-check) per room id within `from...through` (milliseconds).
    func lastSuccessfulStreams(from: Int64, through: Int64) async throws -> [String: Int64]
    /// The end of the last successful self-test publish per room id within `from...through` (milliseconds).
    func lastSelfTestStreams(from: Int64, through: Int64) async throws -> [String: Int64]
}

extension StreamEvidenceSource {
    /// A source without self-tests.
    public func lastSelfTestStreams(from: Int64, through: Int64) async throws -> [String: Int64] { [:] }
}

/// The verified basis read from the store, and which parts of it the collector could not measure.
public struct StoredCoverageEvidence: Sendable {
    public var evidence: CoverageEvidence
    /// Indicator keys without evidence in this collector (e.g. `recording_classrooms` without stream records).
    public var notMeasured: [NotMeasuredIndicator]
}

/// Builds ``CoverageEvidence`` from the stored agent events as of `end`: per room, the latest inventory
/// (snapshot or hotplug change) of each device bound to it and not revoked by `end` within the window, the last
/// contact, the usage minutes (skew-corrected) and, when a source is given, successful streams.
///
/// Several devices in one room add up: their latest inventories are merged.
public struct CoverageEvidenceReader: Sendable {
    /// Kinds decoded in Swift; `usage_minute` events are read apart (``CollectorStore/reduceUsageMinutes``).
    public static let eventKinds = ["inventory_snapshot", "inventory_change", "heartbeat"]

    let store: any CollectorStore
    let streams: (any StreamEvidenceSource)?

    public init(store: any CollectorStore, streams: (any StreamEvidenceSource)? = nil) {
        self.store = store
        self.streams = streams
    }

    /// The evidence of the window `(end - windowDays)…end`, `end` in milliseconds since 1970.
    public func read(end: Int64, windowDays: Int) async throws -> StoredCoverageEvidence {
        let from = end - Int64(windowDays) * 86_400_000
        var roomOf: [String: String] = [:]
        var lastSeen: [String: Int64] = [:]
        // As of `end`: a device revoked later still counted then (past trend points stay as they were).
        for device in try await store.devices(schoolID: nil) where (device.revokedAt ?? .max) > end {
            guard let room = device.roomID else { continue }
            roomOf[device.id] = room
            if let seen = device.lastSeenAt, seen <= end { lastSeen[device.id] = seen }
        }
        // Folded as the store returns the rows: millions of usage minutes at province scale.
        let decoder = JSONDecoder()
        let roomOfDevice = roomOf
        let folded = try await store.reduceEvents(
            kinds: Self.eventKinds, from: from, through: end, into: Fold(lastSeen: lastSeen)
        ) { fold, e in
            guard let room = roomOfDevice[e.deviceID] else { return }
            fold.lastSeen[e.deviceID] = max(fold.lastSeen[e.deviceID] ?? e.at, e.at)
            // Stored bodies were decoded and re-encoded by the collector; one that fails is skipped.
            guard let event = try? decoder.decode(AgentEvent.self, from: Data(e.body.utf8)) else { return }
            switch event.body {
            case .inventorySnapshot(let inv):
                fold.offer(e, inv)
            case .inventoryChange(let change):
                fold.offer(e, change.inventory)
            default: break
            }
        }
        // Usage minutes: millions in a province's week, their fields extracted by the database.
        let withUsage = try await store.reduceUsageMinutes(from: from, through: end, into: folded) { fold, m in
            guard let room = roomOfDevice[m.deviceID] else { return }
            fold.lastSeen[m.deviceID] = max(fold.lastSeen[m.deviceID] ?? m.at, m.at)
            // Onto the collector's clock, like the event's own time. Only what the usage rate reads.
            // Rows stored before the collector checked `minute_start` may not fit in 64 bits: left out.
            let (skew, o1) = m.at.subtractingReportingOverflow(m.agentAt)
            let (start, o2) = m.minuteStart.addingReportingOverflow(skew)
            guard !o1, !o2 else { return }
            fold.usage[room, default: []].append(
                UsageMinute(
                    minuteStart: start, displayOn: m.displayOn, touchEvents: m.touchEvents,
                    speechSeconds: m.speechSeconds, meanDBFS: nil, peakDBFS: nil, clippingRatio: 0,
                    devicesPresent: DevicesPresent()))
        }
        lastSeen = withUsage.lastSeen
        let latest = withUsage.latest
        let usage = withUsage.usage
        var rooms: [String: RoomEvidence] = [:]
        for (device, room) in roomOf.sorted(by: { $0.key < $1.key }) {
            var r = rooms[room] ?? RoomEvidence()
            if let seen = lastSeen[device] { r.lastSeen = Self.later(r.lastSeen, Self.date(seen)) }
            if let l = latest[device] {
                r.inventory = Self.merge(r.inventory, l.inventory)
                r.inventoryAt = Self.later(r.inventoryAt, Self.date(l.at))
            }
            if r != RoomEvidence() { rooms[room] = r }
        }
        var notMeasured: [NotMeasuredIndicator] = []
        if let streams {
            for (room, at) in try await streams.lastSuccessfulStreams(from: from, through: end) {
                rooms[room, default: RoomEvidence()].lastSuccessfulStream = Self.date(at)
            }
            for (room, at) in try await streams.lastSelfTestStreams(from: from, through: end) {
                rooms[room, default: RoomEvidence()].lastSelfTestStream = Self.date(at)
            }
        } else {
            notMeasured.append(
                NotMeasuredIndicator(
                    key: .recordingClassrooms,
                    reason:
                        "this collector keeps no spot-check stream records yet; a recording classroom needs a successful stream"))
        }
        return StoredCoverageEvidence(evidence: CoverageEvidence(rooms: rooms, usage: usage), notMeasured: notMeasured)
    }

    /// What the reader keeps of the window's events.
    struct Fold: Sendable {
        var lastSeen: [String: Int64]
        /// Per device, the inventory of its latest snapshot or change (by time, then `seq`).
        var latest: [String: (at: Int64, seq: Int64, inventory: HardwareInventory)] = [:]
        var usage: [String: [UsageMinute]] = [:]

        mutating func offer(_ e: StoredEvent, _ inventory: HardwareInventory) {
            if let l = latest[e.deviceID], (l.at, l.seq) > (e.at, e.seq) { return }
            latest[e.deviceID] = (e.at, e.seq, inventory)
        }
    }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    static func later(_ a: Date?, _ b: Date) -> Date { a.map { max($0, b) } ?? b }

    static func merge(_ a: HardwareInventory?, _ b: HardwareInventory) -> HardwareInventory {
        guard var m = a else { return b }
        m.cameras += b.cameras
        m.microphones += b.microphones
        m.speakers += b.speakers
        m.touchscreens += b.touchscreens
        m.displays += b.displays
        m.backlights += b.backlights
        m.network += b.network
        return m
    }
}
