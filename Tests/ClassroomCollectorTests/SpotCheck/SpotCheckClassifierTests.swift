import ClassroomCollector
import Testing

@Suite("Spot-check classification rules")
struct SpotCheckClassifierTests {
    static let configuration = SpotCheckConfiguration(graceSeconds: 300)
    static let start: Int64 = 1_000_000_000
    static let end: Int64 = start + 40 * 60_000
    static let after = end + 3_600_000

    static func order(_ change: (inout SpotCheckOrderRecord) -> Void = { _ in }) -> SpotCheckOrderRecord {
        var o = SpotCheckOrderRecord(
            id: "2026-W40-01", week: "2026-W40", source: "draw", position: 0, round: 1, teacherID: "T1", teacherName: "张伟",
            schoolID: "S1", roomID: "R1", weekday: 2, startMinute: 600, endMinute: 640, subject: "语文", lessonStart: start,
            lessonEnd: end, createdAt: 0)
        o.dispatchedAt = start - 60_000
        o.deviceID = "d1"
        o.commandID = "c1"
        o.dispatchNote = "sent"
        change(&o)
        return o
    }

    static func status(
        _ o: SpotCheckOrderRecord, evidence: SpotCheckEvidencePayloadFacts? = nil, delivered: Bool = true,
        failed: Bool = false, missing: String? = nil, now: Int64 = after
    ) -> SpotCheckStatus {
        SpotCheckClassifier.classify(
            SpotCheckFacts(order: o, evidence: evidence, delivered: delivered, commandFailed: failed, hardwareMissing: missing),
            now: now,
            configuration: configuration
        ).0
    }

    @Test("each status from its facts")
    func statuses() {
        let streamed = Self.order {
            $0.publishStartedAt = Self.start
            $0.publishEndedAt = Self.end
        }
        #expect(Self.status(streamed, evidence: .init(speechRatio: 0.6, fault: nil)) == .conducted)
        #expect(Self.status(streamed, evidence: .init(speechRatio: 0.01, fault: nil)) == .partial)
        let short = Self.order {
            $0.publishStartedAt = Self.start
            $0.publishEndedAt = Self.start + 20 * 60_000
        }
        #expect(Self.status(short) == .partial)
        #expect(Self.status(Self.order()) == .notConducted)
        #expect(Self.status(Self.order(), delivered: false) == .deviceOffline)
        #expect(Self.status(Self.order { $0.dispatchNote = "no_device" }) == .deviceOffline)
        #expect(Self.status(Self.order(), evidence: .init(speechRatio: 0, fault: "no_camera")) == .deviceFault)
        #expect(Self.status(Self.order(), failed: true) == .deviceFault)
        #expect(Self.status(Self.order(), missing: "no camera") == .deviceFault)
        // A stream that ran counts, whatever the inventory says.
        #expect(Self.status(streamed, missing: "no camera") == .conducted)
        #expect(Self.status(Self.order { $0.excusedAt = 1 }) == .excused)
        #expect(Self.status(Self.order(), now: Self.start + 60_000) == .pending)
        // Within the grace after the lesson a late stream may still be reported.
        #expect(Self.status(Self.order(), now: Self.end + 60_000) == .pending)
    }
}

/// The reason of a status: the API keeps its English text; the console shows it in the page's language.
@Suite("Spot-check reasons")
struct SpotCheckReasonTests {
    static let all: [SpotCheckReason] = [
        .excused("县局同意调课"), .streaming, .streamed(percent: 93, evidence: true), .streamed(percent: 40, evidence: false),
        .speech(percent: 3), .lessonNotOver, .noDevice(room: "R7"), .neverDispatched, .deviceFault("no_camera"),
        .deviceFault("no_microphone"), .deviceFault("ffmpeg_failed: exit 1"), .deviceFault("odd"), .agentFailed,
        .hardwareMissing("no camera"), .hardwareMissing("no microphone"), .notFetched, .neverStreamed,
    ]

    @Test("every reason has a label in both languages, with its argument filled in")
    func labelled() {
        for language in ConsoleLanguage.allCases {
            let t = ConsoleText(language: language)
            for reason in Self.all {
                let text = t.reason(reason)
                #expect(!text.hasPrefix("reason_"), "\(reason) has no \(language) label")
                #expect(!text.contains("{0}"))
                let argument = reason.label.argument
                if !argument.isEmpty, reason.label.key != "reason_fault_no_camera",
                    reason.label.key != "reason_fault_no_microphone"
                {
                    #expect(text.contains(argument), "\(reason) in \(language): \(text)")
                }
            }
        }
    }

    @Test("the English label of each computed reason reads like the API's text")
    func englishMatches() {
        let en = ConsoleText(language: .en)
        for reason in Self.all where reason.label.key?.hasPrefix("reason_fault_") != true {
            #expect(en.reason(reason) == reason.english)
        }
        #expect(ConsoleText(language: .zhCN).reason(.streamed(percent: 93, evidence: true)) == "直播时长占课时 93%")
        #expect(ConsoleText(language: .zhCN).reason(.excused("县局同意调课")) == "县局同意调课")
    }
}
