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

/// Builds ``CoverageEvidence`` as of `end` from the store's coverage read models (``CoverageReadModel``,
/// kept at ingest; no event body is read): per room, the latest inventory (snapshot or hotplug change) of
/// each device bound to it and not revoked by `end` within the window, the last contact, the active usage
/// minutes (skew-corrected; the only ones the usage rate reads) and, when a source is given, successful
/// streams.
///
/// Several devices in one room add up: their latest inventories' summaries are joined.
public struct CoverageEvidenceReader: Sendable {
    let store: any CollectorStore
    let streams: (any StreamEvidenceSource)?

    public init(store: any CollectorStore, streams: (any StreamEvidenceSource)? = nil) {
        self.store = store
        self.streams = streams
    }

    /// The evidence of the window `(end - windowDays)…end`, `end` in milliseconds since 1970.
    public func read(end: Int64, windowDays: Int) async throws -> StoredCoverageEvidence {
        var phases = RequestPhases()
        return try await read(end: end, windowDays: windowDays, phases: &phases)
    }

    /// ``read(end:windowDays:)``, marking its phases: `read_model` (the store's rows, the device list
    /// among them), `fold` (per room) and `streams` (the media server's records).
    func read(end: Int64, windowDays: Int, phases: inout RequestPhases) async throws -> StoredCoverageEvidence {
        let from = end - Int64(windowDays) * 86_400_000
        let window = try await store.coverageReadModel(from: from, through: end)
        phases.mark("read_model")
        var rooms: [String: RoomEvidence] = [:]
        var active: [String: [Int64]] = [:]
        // In any order: a room's figures are maxima and unions, and its minutes a set to the usage rate.
        // As of `end`: a device revoked later still counted then (past trend points stay as they were).
        // A room is hashed only for a device that adds to it, once per dictionary (a province has 300,000
        // devices), and a room gets an entry only when one of its devices adds something.
        for (device, w) in zip(window.placements, window.devices) where (device.revokedAt ?? .max) > end {
            guard let room = device.roomID else { continue }
            var seen = w.lastSeen
            if let stored = device.lastSeenAt, stored <= end { seen = max(seen ?? stored, stored) }
            if seen != nil || w.hardware != nil {
                Self.add(seen: seen, hardware: w.hardware, to: &rooms[room, default: RoomEvidence()])
            }
            guard !w.active.isEmpty else { continue }
            active[room, default: []].append(contentsOf: w.active.lazy.map(\.start))
        }
        phases.mark("fold")
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
        phases.mark("streams")
        return StoredCoverageEvidence(evidence: CoverageEvidence(rooms: rooms, activeMinutes: active), notMeasured: notMeasured)
    }

    /// A device's latest contact and inventory added to its room's evidence.
    static func add(seen: Int64?, hardware: CoverageReadModel.HardwareRow?, to r: inout RoomEvidence) {
        if let seen { r.lastSeen = later(r.lastSeen, date(seen)) }
        if let l = hardware {
            r.hardware = (r.hardware ?? []).union(l.hardware)
            r.inventoryAt = later(r.inventoryAt, date(l.at))
        }
    }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    static func later(_ a: Date?, _ b: Date) -> Date { a.map { max($0, b) } ?? b }
}
