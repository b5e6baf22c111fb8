import ClassroomCore
import Testing

/// Each condition of ``AlertEvaluator`` on hand-made facts: true exactly when its rule says, with a
/// stable key, and false just short of its threshold.
@Suite("Alert evaluator")
struct AlertEvaluatorTests {
    static let day: Int64 = 86_400_000
    static let now: Int64 = 1_790_000_000_000
    static let evaluator = AlertEvaluator(thresholds: AlertThresholds())

    static func device(
        _ id: String, room: String? = "R1", lastSeen: Int64? = now, version: String = "1.2.0", cameras: Int? = 1,
        microphones: Int? = 1, depths: [Int] = [], audio: [LocalDate: LessonAudioDay] = [:]
    ) -> DeviceHealthFacts {
        DeviceHealthFacts(
            deviceID: id, schoolID: "S1", roomID: room, enrolledAt: now - 30 * day, lastSeenAt: lastSeen, agentVersion: version,
            cameras: cameras, microphones: microphones, queueDepths: depths, lessonAudio: audio)
    }

    static func keys(_ devices: [DeviceHealthFacts], recording: [String: String] = [:]) -> [String] {
        evaluator.conditions(AlertFacts(devices: devices, recordingRooms: recording), now: now).map(\.key)
    }

    static func date(_ d: Int) -> LocalDate { LocalDate(year: 2026, month: 12, day: d) }

    @Test("a healthy device raises nothing")
    func healthy() {
        #expect(Self.keys([Self.device("d1")]) == [])
    }

    @Test("microphone silent: the latest 3 lesson days silent; 2 are not enough; one heard minute clears it")
    func silent() {
        let silent = LessonAudioDay(lessonMinutes: 40, heardMinutes: 0)
        let heard = LessonAudioDay(lessonMinutes: 40, heardMinutes: 1)
        // An older heard day and three silent ones after it (a weekend between does not matter).
        let three = [Self.date(1): heard, Self.date(2): silent, Self.date(3): silent, Self.date(7): silent]
        let conditions = Self.evaluator.conditions(
            AlertFacts(devices: [Self.device("d1", audio: three)], recordingRooms: [:]), now: Self.now)
        #expect(conditions.map(\.key) == ["microphone_silent:device:d1"])
        #expect(
            conditions[0].detail.contains("120 lesson minutes on 3 lesson days (2026-12-02…2026-12-07)"),
            "\(conditions[0].detail)")
        #expect(conditions[0].chineseDetail.contains("3 个上课日"))
        #expect(Self.keys([Self.device("d1", audio: [Self.date(2): silent, Self.date(3): silent])]) == [])
        #expect(Self.keys([Self.device("d1", audio: [Self.date(2): silent, Self.date(3): silent, Self.date(7): heard])]) == [])
        // Days without lesson minutes (the device was off) are not days of silence.
        let off = [Self.date(2): silent, Self.date(3): LessonAudioDay(), Self.date(7): silent]
        #expect(Self.keys([Self.device("d1", audio: off)]) == [])
    }

    @Test("clipping: the latest lesson day with 10 clipping minutes; 9 is not enough; an older day does not count")
    func clipping() {
        let ten = [Self.date(3): LessonAudioDay(lessonMinutes: 45, heardMinutes: 45, clippingMinutes: 10)]
        #expect(Self.keys([Self.device("d1", audio: ten)]) == ["microphone_clipping:device:d1"])
        let nine = [Self.date(3): LessonAudioDay(lessonMinutes: 45, heardMinutes: 45, clippingMinutes: 9)]
        #expect(Self.keys([Self.device("d1", audio: nine)]) == [])
        let older = [
            Self.date(2): LessonAudioDay(lessonMinutes: 45, heardMinutes: 45, clippingMinutes: 30),
            Self.date(3): LessonAudioDay(lessonMinutes: 45, heardMinutes: 45, clippingMinutes: 0),
        ]
        #expect(Self.keys([Self.device("d1", audio: older)]) == [])
    }

    @Test(
        "recording room: no camera or no microphone on any of its devices; a room with one is fine; unknown inventory raises nothing"
    )
    func recordingRoom() {
        let rooms = ["R2": "S1"]
        #expect(
            Self.keys([Self.device("d1", room: "R2", cameras: 0, microphones: 1)], recording: rooms) == [
                "recording_room_no_camera:room:R2"
            ])
        #expect(
            Self.keys([Self.device("d1", room: "R2", cameras: 1, microphones: 0)], recording: rooms) == [
                "recording_room_no_microphone:room:R2"
            ])
        // Two machines in the room: the camera of one is enough.
        #expect(
            Self.keys(
                [
                    Self.device("d1", room: "R2", cameras: 0, microphones: 1),
                    Self.device("d2", room: "R2", cameras: 1, microphones: 0),
                ],
                recording: rooms) == [])
        #expect(Self.keys([Self.device("d1", room: "R2", cameras: nil, microphones: nil)], recording: rooms) == [])
        // An ordinary classroom without a camera is not an alert.
        #expect(Self.keys([Self.device("d1", room: "R1", cameras: 0, microphones: 0)], recording: rooms) == [])
    }

    @Test("offline: more than 3 days since last contact, or since enrollment when never heard from")
    func offline() {
        #expect(Self.keys([Self.device("d1", lastSeen: Self.now - 3 * Self.day - 1)]) == ["agent_offline:device:d1"])
        #expect(Self.keys([Self.device("d1", lastSeen: Self.now - 3 * Self.day)]) == [])
        let never = Self.evaluator.conditions(
            AlertFacts(devices: [Self.device("d1", lastSeen: nil)], recordingRooms: [:]), now: Self.now)
        #expect(never.map(\.key) == ["agent_offline:device:d1"])
        #expect(never[0].detail == "never heard from, enrolled 30.0 days ago")
    }

    @Test("outbox backlog: 3 growing samples ending at 500 or more; flat, shrinking or small queues are fine")
    func backlog() {
        #expect(Self.keys([Self.device("d1", depths: [100, 300, 500])]) == ["outbox_backlog:device:d1"])
        #expect(Self.keys([Self.device("d1", depths: [100, 300, 499])]) == [])
        #expect(Self.keys([Self.device("d1", depths: [600, 600, 700])]) == [])
        #expect(Self.keys([Self.device("d1", depths: [900, 700, 800])]) == [])
        #expect(Self.keys([Self.device("d1", depths: [300, 900])]) == [])
    }

    @Test("backlog samples are spaced: heartbeats a minute apart collapse to one per spacing")
    func backlogSamples() {
        let t = AlertThresholds()
        let minute: Int64 = 60_000
        // Every minute for an hour, the queue growing by 10 a minute.
        let beats = (0...60).map { (at: Int64($0) * minute, depth: $0 * 10) }
        #expect(t.backlogSamples(beats) == [300, 450, 600])
        #expect(t.backlogSamples([]) == [])
    }

    @Test("outdated: older than the newest reported (dpkg order), or than the configured minimum")
    func outdated() {
        let devices = [
            Self.device("d1", version: "1.2.0"), Self.device("d2", version: "1.10.0~rc1"), Self.device("d3", version: "1.10.0"),
        ]
        #expect(Self.keys(devices) == ["agent_outdated:device:d1", "agent_outdated:device:d2"])
        var t = AlertThresholds()
        t.minimumAgentVersion = "1.2.0"
        let conditions = AlertEvaluator(thresholds: t).conditions(
            AlertFacts(devices: devices, recordingRooms: [:]), now: Self.now)
        #expect(conditions.map(\.key) == [])
        t.minimumAgentVersion = "1.3"
        let keys = AlertEvaluator(thresholds: t).conditions(AlertFacts(devices: devices, recordingRooms: [:]), now: Self.now).map(
            \.key)
        #expect(keys == ["agent_outdated:device:d1"])
    }

    @Test("thresholds out of range are named by their option")
    func validation() throws {
        var t = AlertThresholds()
        t.silentDays = 0
        #expect(throws: AlertConfigurationError(option: "--alert-silent-days", message: "must be 1…60, not 0")) {
            try t.validated()
        }
        t = AlertThresholds()
        t.clippingFrameRatio = .nan
        #expect((try? t.validated()) == nil)
        t = AlertThresholds()
        t.backlogHeartbeats = 1
        do {
            _ = try t.validated()
            Issue.record("accepted 1 heartbeat")
        } catch {
            #expect(error.option == "--alert-backlog-heartbeats")
        }
        #expect(try AlertThresholds().validated() == AlertThresholds())
    }
}
