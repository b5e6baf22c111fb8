/// What the collector knows about one enrolled device that the alerts read.
public struct DeviceHealthFacts: Sendable, Hashable {
    public var deviceID: String
    public var schoolID: String
    public var roomID: String?
    public var enrolledAt: Int64
    public var lastSeenAt: Int64?
    public var agentVersion: String
    /// Camera and microphone counts of the newest inventory; nil before the first one.
    public var cameras: Int?
    public var microphones: Int?
    /// Queue depths of the newest heartbeats, oldest first.
    public var queueDepths: [Int]
    /// The microphone during lessons per school day (from ``LessonAudioDigest``).
    public var lessonAudio: [LocalDate: LessonAudioDay]

    public init(
        deviceID: String, schoolID: String, roomID: String?, enrolledAt: Int64, lastSeenAt: Int64?, agentVersion: String,
        cameras: Int? = nil, microphones: Int? = nil, queueDepths: [Int] = [], lessonAudio: [LocalDate: LessonAudioDay] = [:]
    ) {
        self.deviceID = deviceID
        self.schoolID = schoolID
        self.roomID = roomID
        self.enrolledAt = enrolledAt
        self.lastSeenAt = lastSeenAt
        self.agentVersion = agentVersion
        self.cameras = cameras
        self.microphones = microphones
        self.queueDepths = queueDepths
        self.lessonAudio = lessonAudio
    }
}

/// Everything one evaluation reads: the unrevoked devices and the recording rooms of the registry.
public struct AlertFacts: Sendable, Hashable {
    public var devices: [DeviceHealthFacts]
    /// Recording classrooms (kind `recording`) and their school.
    public var recordingRooms: [String: String]

    public init(devices: [DeviceHealthFacts], recordingRooms: [String: String]) {
        self.devices = devices
        self.recordingRooms = recordingRooms
    }
}
