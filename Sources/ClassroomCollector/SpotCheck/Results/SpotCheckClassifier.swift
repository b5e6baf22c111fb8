/// What became of one order, from the media server's callbacks, the verified evidence and the
/// device's state (ARCHITECTURE.md §6).
public enum SpotCheckStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Streamed for most of the lesson, with speech.
    case conducted
    /// Streamed, but short or silent.
    case partial
    /// Delivered to the device, never streamed.
    case notConducted = "not_conducted"
    /// No device in the room, or the device did not fetch the order.
    case deviceOffline = "device_offline"
    /// The device received the order but could not stream (no camera, no microphone, ffmpeg failing).
    case deviceFault = "device_fault"
    /// Excused by the bureau (with a reason in the audit log).
    case excused
    /// The lesson has not ended yet.
    case pending
}

/// Everything the classification looks at for one order.
public struct SpotCheckFacts: Sendable, Hashable {
    public var order: SpotCheckOrderRecord
    /// Evidence whose signature verified with the device's registered key.
    public var evidence: SpotCheckEvidencePayloadFacts?
    /// Whether the device fetched and acknowledged the command.
    public var delivered: Bool
    /// Whether the agent reported the command `failed`.
    public var commandFailed: Bool
    /// What the device's newest inventory lacks for streaming (`no camera`, `no microphone`), if anything.
    public var hardwareMissing: String?

    public init(
        order: SpotCheckOrderRecord, evidence: SpotCheckEvidencePayloadFacts?, delivered: Bool, commandFailed: Bool,
        hardwareMissing: String? = nil
    ) {
        self.order = order
        self.evidence = evidence
        self.delivered = delivered
        self.commandFailed = commandFailed
        self.hardwareMissing = hardwareMissing
    }
}

/// The parts of the verified evidence the classification uses.
public struct SpotCheckEvidencePayloadFacts: Sendable, Hashable {
    public var speechRatio: Double
    public var fault: String?

    public init(speechRatio: Double, fault: String?) {
        self.speechRatio = speechRatio
        self.fault = fault
    }
}

/// Why an order has its status: the English text of `/api/v1` and the CLI (``english``), and a
/// console label with arguments (``label``) so that the zh-CN pages and the notice are in Chinese.
public enum SpotCheckReason: Sendable, Hashable {
    /// The bureau's own words.
    case excused(String)
    case streaming
    case streamed(percent: Int, evidence: Bool)
    case speech(percent: Int)
    case lessonNotOver
    case noDevice(room: String)
    case neverDispatched
    /// The fault the agent signed into its evidence (`no_camera`, `no_microphone`, `ffmpeg_failed: …`).
    case deviceFault(String)
    case agentFailed
    /// What the newest inventory lacks (`no camera`, `no microphone`).
    case hardwareMissing(String)
    case notFetched
    case neverStreamed

    public var english: String {
        switch self {
        case .excused(let reason): reason
        case .streaming: "streaming"
        case .streamed(let percent, let evidence): "streamed \(percent)% of the lesson" + (evidence ? "" : " (no evidence yet)")
        case .speech(let percent): "speech in \(percent)% of the stream"
        case .lessonNotOver: "lesson not over"
        case .noDevice(let room): "no enrolled device in room \(room)"
        case .neverDispatched: "never dispatched"
        case .deviceFault(let fault): fault
        case .agentFailed: "the agent reported the order failed"
        case .hardwareMissing(let missing): "\(missing) in the device's inventory"
        case .notFetched: "the device did not fetch the order"
        case .neverStreamed: "delivered, never streamed"
        }
    }

    /// The console label key (`reason_…`) and its `{0}` argument; nil key for the bureau's own words.
    public var label: (key: String?, argument: String) {
        switch self {
        case .excused(let reason): (nil, reason)
        case .streaming: ("reason_streaming", "")
        case .streamed(let percent, let evidence): (evidence ? "reason_streamed" : "reason_streamed_no_evidence", "\(percent)")
        case .speech(let percent): ("reason_speech", "\(percent)")
        case .lessonNotOver: ("reason_lesson_not_over", "")
        case .noDevice(let room): ("reason_no_device", room)
        case .neverDispatched: ("reason_never_dispatched", "")
        case .deviceFault(let fault):
            fault == "no_camera" || fault == "no_microphone"
                ? ("reason_fault_" + fault, "")
                : fault.hasPrefix("ffmpeg_failed") ? ("reason_fault_ffmpeg", fault) : ("reason_fault_other", fault)
        case .agentFailed: ("reason_agent_failed", "")
        case .hardwareMissing(let missing):
            (
                missing == "no camera"
                    ? "reason_fault_no_camera" : missing == "no microphone" ? "reason_fault_no_microphone" : "reason_fault_other",
                missing
            )
        case .notFetched: ("reason_not_fetched", "")
        case .neverStreamed: ("reason_never_streamed", "")
        }
    }
}

/// Classifies orders; pure, so that every rule is tested on its own.
public enum SpotCheckClassifier {
    /// The status and its reason.
    public static func classify(_ f: SpotCheckFacts, now: Int64, configuration: SpotCheckConfiguration) -> (
        SpotCheckStatus, SpotCheckReason
    ) {
        let o = f.order
        if o.excusedAt != nil { return (.excused, .excused(o.excuseReason ?? "excused")) }
        if let started = o.publishStartedAt {
            let fraction = o.streamedFraction(
                started: started, ended: o.publishEndedAt ?? (now < o.lessonEnd ? now : o.lessonEnd))
            if now < o.lessonEnd && o.publishEndedAt == nil { return (.pending, .streaming) }
            let percent = Int((fraction * 100).rounded())
            if fraction < configuration.minimumStreamedFraction {
                return (.partial, .streamed(percent: percent, evidence: true))
            }
            if let e = f.evidence, e.speechRatio < configuration.minimumSpeechRatio {
                // Clamped: evidence stored before the collector checked `speech_ratio` may hold any number.
                let ratio = e.speechRatio.isFinite ? min(max(e.speechRatio, 0), 1) : 0
                return (.partial, .speech(percent: Int((ratio * 100).rounded())))
            }
            return (.conducted, .streamed(percent: percent, evidence: f.evidence != nil))
        }
        if now < o.lessonEnd + configuration.graceSeconds * 1000 { return (.pending, .lessonNotOver) }
        if o.dispatchNote == "no_device" { return (.deviceOffline, .noDevice(room: o.roomID)) }
        if o.dispatchedAt == nil { return (.deviceOffline, .neverDispatched) }
        if let fault = f.evidence?.fault { return (.deviceFault, .deviceFault(fault)) }
        if f.commandFailed { return (.deviceFault, .agentFailed) }
        if let missing = f.hardwareMissing { return (.deviceFault, .hardwareMissing(missing)) }
        if !f.delivered { return (.deviceOffline, .notFetched) }
        return (.notConducted, .neverStreamed)
    }
}

extension SpotCheckOrderRecord {
    /// The share of the lesson (0…1) covered by a publish from `started` to `ended`.
    public func streamedFraction(started: Int64, ended: Int64) -> Double {
        let streamed = max(0, min(ended, lessonEnd) - max(started, lessonStart))
        return Double(streamed) / Double(max(1, lessonEnd - lessonStart))
    }
}
