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

/// Classifies orders; pure, so that every rule is tested on its own.
public enum SpotCheckClassifier {
    /// The status and a short English reason.
    public static func classify(_ f: SpotCheckFacts, now: Int64, configuration: SpotCheckConfiguration) -> (
        SpotCheckStatus, String
    ) {
        let o = f.order
        if o.excusedAt != nil { return (.excused, o.excuseReason ?? "excused") }
        if let started = o.publishStartedAt {
            let fraction = o.streamedFraction(
                started: started, ended: o.publishEndedAt ?? (now < o.lessonEnd ? now : o.lessonEnd))
            if now < o.lessonEnd && o.publishEndedAt == nil { return (.pending, "streaming") }
            let percent = Int((fraction * 100).rounded())
            if fraction < configuration.minimumStreamedFraction {
                return (.partial, "streamed \(percent)% of the lesson")
            }
            if let e = f.evidence, e.speechRatio < configuration.minimumSpeechRatio {
                // Clamped: evidence stored before the collector checked `speech_ratio` may hold any number.
                let ratio = e.speechRatio.isFinite ? min(max(e.speechRatio, 0), 1) : 0
                return (.partial, "speech in \(Int((ratio * 100).rounded()))% of the stream")
            }
            return (.conducted, "streamed \(percent)% of the lesson" + (f.evidence == nil ? " (no evidence yet)" : ""))
        }
        if now < o.lessonEnd + configuration.graceSeconds * 1000 { return (.pending, "lesson not over") }
        if o.dispatchNote == "no_device" { return (.deviceOffline, "no enrolled device in room \(o.roomID)") }
        if o.dispatchedAt == nil { return (.deviceOffline, "never dispatched") }
        if let fault = f.evidence?.fault { return (.deviceFault, fault) }
        if f.commandFailed { return (.deviceFault, "the agent reported the order failed") }
        if let missing = f.hardwareMissing { return (.deviceFault, "\(missing) in the device's inventory") }
        if !f.delivered { return (.deviceOffline, "the device did not fetch the order") }
        return (.notConducted, "delivered, never streamed")
    }
}

extension SpotCheckOrderRecord {
    /// The share of the lesson (0…1) covered by a publish from `started` to `ended`.
    public func streamedFraction(started: Int64, ended: Int64) -> Double {
        let streamed = max(0, min(ended, lessonEnd) - max(started, lessonStart))
        return Double(streamed) / Double(max(1, lessonEnd - lessonStart))
    }
}
