/// Where a lesson's stream is, from the media server's facts on the order (its `on_publish` and
/// `on_publish_done`): what the watch page shows beside the player.
public enum LessonStreamState: String, Sendable, Hashable, CaseIterable {
    /// Ordered, not streaming yet (the lesson has not started, or the agent is starting ffmpeg).
    case waiting
    /// The media server accepted the stream and it has not ended.
    case live
    /// The stream ended (the lesson is over, or the machine stopped sending).
    case ended
    /// Nothing will stream: no device to send the order to, the order was excused, or the window
    /// closed without a stream.
    case failed

    /// The state of `order` at `now`; `graceMillis` is the spot-check grace after the lesson's end
    /// during which a stream may still start.
    public static func of(_ order: SpotCheckOrderRecord, now: Int64, graceMillis: Int64) -> LessonStreamState {
        if order.publishEndedAt != nil { return .ended }
        if order.publishStartedAt != nil { return .live }
        if order.excusedAt != nil { return .failed }
        if order.dispatchedAt != nil, order.dispatchNote != "sent" { return .failed }
        return now > order.lessonEnd + graceMillis ? .failed : .waiting
    }
}
