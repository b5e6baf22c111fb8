/// What one device credential may take of a collector, so that a leaked or misbehaving credential
/// cannot crowd out the county's other agents or fill the disk.
///
/// The defaults are far above what a working agent does (one long-poll at a time, an upload every
/// few seconds while it catches up, a few MiB of events a day) and are never reached in normal use.
public struct AgentLimits: Sendable, Hashable {
    /// Long-polls of one device held at once; when one more arrives the oldest is answered at once
    /// with an empty command list.
    public var longPollsPerDevice: Int
    /// Sustained requests per second of one device on the agent routes (token bucket refill rate).
    public var requestsPerSecond: Double
    /// Requests one device may make at once above the sustained rate (token bucket size).
    public var requestBurst: Double
    /// Bytes of event uploads one device may send per UTC day; above it, 429 until the next day.
    ///
    /// - Important: counted in memory by each collector process (reset on restart, and per process
    ///   when several collectors share a database): a bound against a runaway device, not accounting.
    public var uploadBytesPerDay: Int64

    public init(
        longPollsPerDevice: Int = 2, requestsPerSecond: Double = 5, requestBurst: Double = 100,
        uploadBytesPerDay: Int64 = 64 * 1024 * 1024
    ) {
        self.longPollsPerDevice = longPollsPerDevice
        self.requestsPerSecond = requestsPerSecond
        self.requestBurst = requestBurst
        self.uploadBytesPerDay = uploadBytesPerDay
    }
}
