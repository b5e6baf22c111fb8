import ClassroomCore
import ClassroomWire
import Foundation

/// Gathers the ``AlertFacts`` of one evaluation from the store: the unrevoked devices with their
/// latest inventory counts, the recording rooms of the registry, the newest heartbeats' queue
/// depths, and the microphone during timetabled lessons (on the term calendar's school days).
///
/// - Important: usage minutes and heartbeats are folded one at a time as the database returns them
///   (``CollectorStore/reduceEvents(kinds:from:through:into:_:)``); nothing holds them all.
struct AlertFactsReader: Sendable {
    let store: any CollectorStore
    let thresholds: AlertThresholds
    let zone: CountyTimeZone

    func facts(now: Int64) async throws -> AlertFacts {
        let listings = try await devices()
        let registry = try await store.registry()
        var recordingRooms: [String: String] = [:]
        for room in registry.rooms where room.kind == .recording { recordingRooms[room.id] = room.schoolID }
        let rooms = Dictionary(
            listings.compactMap { l in l.device.roomID.map { (l.device.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let timetable = Timetable(lessons: registry.lessons, zone: zone, calendar: registry.schoolCalendar)
        let digest = try await store.reduceEvents(
            kinds: ["usage_minute"], from: now - Int64(thresholds.usageLookbackDays) * 86_400_000, through: now,
            into: LessonAudioDigest(timetable: timetable, thresholds: thresholds, rooms: rooms)
        ) { digest, event in
            guard let sample = Self.audioSample(event) else { return }
            digest.add(deviceID: event.deviceID, sample)
        }
        let heartbeats = try await store.reduceEvents(
            kinds: ["heartbeat"], from: now - thresholds.heartbeatLookbackMillis, through: now,
            into: [String: [HeartbeatDepth]]()
        ) { beats, event in
            guard let depth = Self.queueDepth(event) else { return }
            beats[event.deviceID, default: []].append(HeartbeatDepth(at: event.at, depth: depth))
        }
        let devices = listings.map { l in
            let d = l.device
            return DeviceHealthFacts(
                deviceID: d.id, schoolID: d.schoolID, roomID: d.roomID, enrolledAt: d.enrolledAt, lastSeenAt: d.lastSeenAt,
                agentVersion: d.agentVersion, cameras: l.cameras, microphones: l.microphones,
                queueDepths: thresholds.backlogSamples((heartbeats[d.id] ?? []).map { (at: $0.at, depth: $0.depth) }),
                lessonAudio: digest.days[d.id] ?? [:])
        }
        return AlertFacts(devices: devices, recordingRooms: recordingRooms)
    }

    /// Every unrevoked device with its inventory counts, a thousand a page.
    func devices() async throws -> [DeviceListing] {
        var all: [DeviceListing] = []
        var query = DevicePageQuery(limit: 1000)
        query.activeOnly = true
        while true {
            let page = try await store.devicePage(query)
            all += page.devices
            guard page.devices.count == query.limit, let last = page.devices.last else { return all }
            query.after = last.device.id
        }
    }

    struct HeartbeatDepth: Sendable {
        var at: Int64
        var depth: Int
    }

    /// A usage minute's microphone figures, its start corrected by the batch's skew; nil for a body
    /// that does not decode (it was checked at ingest; the alerts never stop on one).
    static func audioSample(_ event: StoredEvent) -> LessonAudioSample? {
        guard let decoded = try? JSONDecoder().decode(AgentEvent.self, from: Data(event.body.utf8)),
            case .usageMinute(let m) = decoded.body
        else { return nil }
        return LessonAudioSample(
            minuteStart: m.minuteStart + (event.at - event.agentAt), speechSeconds: m.speechSeconds, peakDBFS: m.peakDBFS,
            clippingRatio: m.clippingRatio, microphones: m.devicesPresent.microphones)
    }

    static func queueDepth(_ event: StoredEvent) -> Int? {
        guard let decoded = try? JSONDecoder().decode(AgentEvent.self, from: Data(event.body.utf8)),
            case .heartbeat(let h) = decoded.body
        else { return nil }
        return h.queueDepth
    }
}
