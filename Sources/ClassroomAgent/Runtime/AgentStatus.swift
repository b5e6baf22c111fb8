import FoundationEssentials

/// What `classroomd status` shows, read without changing anything (the outbox is opened read-only).
public struct AgentStatus: Codable, Sendable {
    public var enrolled: Bool
    public var deviceID: String?
    public var roomID: String?
    public var collector: String?
    public var queueDepth: Int
    /// Agent clock of the oldest unsent event, milliseconds since 1970.
    public var oldestUnsentAt: Int64?
    public var lastUploadAt: Int64?
    public var lastError: String?
    public var currentCommand: String?
    public var droppedUsageTotal: Int64
    public var outboxMovedAside: String?
    /// The highest sequence number ever assigned by this outbox (nil before the first event).
    public var lastSequence: Int64?
    /// Collector clock minus this machine's clock at the last upload, milliseconds.
    public var clockSkewMillis: Int64?
    /// The current or last spot-check stream (`spotcheck-status.json` of the state directory); `state`
    /// `interrupted` when its lesson is over but the agent never recorded its end (killed meanwhile).
    public var spotcheck: SpotCheckLiveStatus?

    enum CodingKeys: String, CodingKey {
        case enrolled, collector, spotcheck
        case deviceID = "device_id"
        case roomID = "room_id"
        case queueDepth = "queue_depth"
        case oldestUnsentAt = "oldest_unsent_at"
        case lastUploadAt = "last_upload_at"
        case lastError = "last_error"
        case currentCommand = "current_command"
        case droppedUsageTotal = "dropped_usage_total"
        case outboxMovedAside = "outbox_moved_aside"
        case lastSequence = "last_sequence"
        case clockSkewMillis = "clock_skew_ms"
    }

    /// Reads the state directory of `config`.
    public static func read(config: AgentConfig) throws(StateError) -> AgentStatus {
        let enrollment = try DeviceIdentity(stateDirectory: config.stateDirectory).loadEnrollment()
        var status = AgentStatus(
            enrolled: enrollment != nil, deviceID: enrollment?.deviceID, roomID: enrollment?.roomID,
            collector: config.collector ?? enrollment?.collector, queueDepth: 0, droppedUsageTotal: 0)
        if let data = FileManager.default.contents(atPath: config.stateDirectory + "/spotcheck-status.json") {
            status.spotcheck = try? JSONDecoder().decode(SpotCheckLiveStatus.self, from: data)
            // A stream whose lesson is over but which never wrote its end: the agent was killed meanwhile.
            if var stale = status.spotcheck, stale.state != "finished", stale.lessonEnd < AgentClock.system.nowMillis() {
                stale.state = "interrupted"
                stale.ffmpegPID = nil
                status.spotcheck = stale
            }
        }
        guard FileManager.default.fileExists(atPath: config.outboxPath) else { return status }
        do {
            let db = try SQLiteConnection(path: config.outboxPath, readOnly: true)
            status.queueDepth = Int(try db.scalar("SELECT count(*) FROM events") ?? 0)
            status.oldestUnsentAt = try db.scalar("SELECT min(at) FROM events")
            status.lastSequence = try db.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
            let meta = try db.prepare("SELECT key, value FROM meta")
            var values: [String: String] = [:]
            while try meta.step() { values[meta.text(0)] = meta.text(1) }
            status.lastUploadAt = values["last_upload"].flatMap(Int64.init)
            status.lastError = values["last_error"]
            status.currentCommand = values["current_command"].flatMap { $0.isEmpty ? nil : $0 }
            status.droppedUsageTotal = values["dropped_usage_total"].flatMap(Int64.init) ?? 0
            status.outboxMovedAside = values["moved_aside"]
            status.clockSkewMillis = values["clock_skew_ms"].flatMap(Int64.init)
        } catch {
            status.lastError = "cannot read \(config.outboxPath): \(error)"
        }
        return status
    }
}
