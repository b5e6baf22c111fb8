/// One stored `usage_minute` event reduced to what the coverage usage rate reads, extracted by the
/// database's own JSON functions: decoding millions of event bodies with `JSONDecoder` took over a
/// minute for a province's week, the database does it in seconds.
public struct UsageMinuteRow: Sendable, Hashable {
    public var deviceID: String
    /// The event's time on the collector's clock, and the agent's own clock value of it.
    public var at: Int64
    public var agentAt: Int64
    /// From the body, on the agent's clock.
    public var minuteStart: Int64
    public var displayOn: Bool
    public var touchEvents: Int
    public var speechSeconds: Double

    public init(
        deviceID: String, at: Int64, agentAt: Int64, minuteStart: Int64, displayOn: Bool, touchEvents: Int, speechSeconds: Double
    ) {
        self.deviceID = deviceID
        self.at = at
        self.agentAt = agentAt
        self.minuteStart = minuteStart
        self.displayOn = displayOn
        self.touchEvents = touchEvents
        self.speechSeconds = speechSeconds
    }
}
