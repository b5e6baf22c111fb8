/// What a device-health alert is about. The raw value is the API's and the database's `kind`.
public enum AlertKind: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// The microphone heard nothing (no speech, peak below the floor) in the timetabled lessons of the
    /// last N lesson days on which the device was on.
    case microphoneSilent = "microphone_silent"
    /// The microphone clipped in many lesson minutes of the latest lesson day.
    case microphoneClipping = "microphone_clipping"
    /// A recording classroom (互动直录播教室) whose enrolled devices report no camera.
    case recordingRoomNoCamera = "recording_room_no_camera"
    /// A recording classroom whose enrolled devices report no microphone.
    case recordingRoomNoMicrophone = "recording_room_no_microphone"
    /// The agent has not been heard from for longer than the offline threshold (3 days).
    case agentOffline = "agent_offline"
    /// The agent's outbox grows from heartbeat to heartbeat: events are not getting through.
    case outboxBacklog = "outbox_backlog"
    /// The agent is older than the newest version reported in the county (or the configured minimum).
    case agentOutdated = "agent_outdated"

    /// Whether the alert concerns a room (its key names the room) rather than one device.
    public var isRoomAlert: Bool { self == .recordingRoomNoCamera || self == .recordingRoomNoMicrophone }

    /// The Chinese title used in the console, the WeCom message and the email.
    public var chineseTitle: String {
        switch self {
        case .microphoneSilent: "麦克风在上课时段持续无声"
        case .microphoneClipping: "麦克风削波（声音过载）"
        case .recordingRoomNoCamera: "录播教室缺少摄像头"
        case .recordingRoomNoMicrophone: "录播教室缺少麦克风"
        case .agentOffline: "终端离线超过阈值"
        case .outboxBacklog: "终端待上传数据持续积压"
        case .agentOutdated: "终端代理版本过旧"
        }
    }

    /// The English title (CLI, `?lang=en`).
    public var englishTitle: String {
        switch self {
        case .microphoneSilent: "microphone silent during lessons"
        case .microphoneClipping: "microphone clipping"
        case .recordingRoomNoCamera: "recording room without a camera"
        case .recordingRoomNoMicrophone: "recording room without a microphone"
        case .agentOffline: "agent offline"
        case .outboxBacklog: "outbox backlog growing"
        case .agentOutdated: "agent version outdated"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A condition that holds now: what, where, and the figures behind it.
///
/// - Important: ``key`` is stable across evaluations (`KIND:device:ID` or `KIND:room:ID`): the
///   lifecycle matches conditions to open alerts by it, so it must not contain changing figures.
public struct AlertCondition: Codable, Sendable, Hashable {
    public var kind: AlertKind
    public var schoolID: String
    public var deviceID: String?
    public var roomID: String?
    /// The figures behind it, one line in English (stored, listed, sent).
    public var detail: String
    /// The same in Chinese.
    public var chineseDetail: String

    public init(
        kind: AlertKind, schoolID: String, deviceID: String?, roomID: String?, detail: String, chineseDetail: String
    ) {
        self.kind = kind
        self.schoolID = schoolID
        self.deviceID = deviceID
        self.roomID = roomID
        self.detail = detail
        self.chineseDetail = chineseDetail
    }

    /// The stable identity of the condition.
    public var key: String {
        kind.isRoomAlert ? "\(kind.rawValue):room:\(roomID ?? "")" : "\(kind.rawValue):device:\(deviceID ?? "")"
    }
}
