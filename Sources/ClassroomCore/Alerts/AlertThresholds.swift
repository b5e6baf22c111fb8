/// When a device-health condition holds, and how long a cleared condition waits before its alert
/// closes (the hysteresis that keeps a flapping device to one alert).
public struct AlertThresholds: Sendable, Hashable {
    /// Consecutive lesson days (days on which the device was on during timetabled lessons) with a
    /// silent microphone that raise ``AlertKind/microphoneSilent``.
    public var silentDays: Int = 3
    /// A lesson minute counts as heard when it has speech or its peak reaches this level (dBFS).
    public var silenceFloorDBFS: Double = -60
    /// A minute clips when at least this share of its frames clipped.
    public var clippingFrameRatio: Double = 0.05
    /// ``AlertKind/microphoneClipping`` holds when the latest lesson day has at least this many
    /// clipping lesson minutes.
    public var clippingMinutes: Int = 10
    /// An agent not heard from for longer than this is offline (3 days).
    public var offlineSeconds: Int64 = 3 * 86_400
    /// ``AlertKind/outboxBacklog`` holds when the last ``backlogHeartbeats`` heartbeats report a queue
    /// that grows each time and ends at or above ``backlogMinimum`` events.
    public var backlogHeartbeats: Int = 3
    public var backlogMinimum: Int = 500
    /// The heartbeats compared are at least this far apart (the queue rises and falls between two
    /// uploads a minute apart; a backlog grows over quarter hours).
    public var backlogSpacingSeconds: Int64 = 900
    /// Agents older than this version (dpkg order) are outdated; nil: older than the newest version
    /// any enrolled device of the county reports.
    public var minimumAgentVersion: String?
    /// An open alert closes once its condition has been false for this long; a condition that
    /// comes back sooner keeps the same alert open.
    public var closeAfterSeconds: Int64 = 6 * 3600

    public init() {}

    /// How many days of usage minutes the evaluator needs to see: the silent run may be spread over
    /// weekends and holidays, so twice the days plus a week.
    public var usageLookbackDays: Int { silentDays * 2 + 7 }

    /// How far back heartbeats are read: enough for the samples, with one spacing to spare.
    public var heartbeatLookbackMillis: Int64 { Int64(backlogHeartbeats + 1) * backlogSpacingSeconds * 1000 }

    /// From heartbeats `(at, queueDepth)` in any order, the queue depths compared for the backlog:
    /// the newest, then walking back the newest one at least ``backlogSpacingSeconds`` earlier than
    /// the one before, at most ``backlogHeartbeats`` of them, oldest first.
    public func backlogSamples(_ heartbeats: [(at: Int64, depth: Int)]) -> [Int] {
        var picked: [Int] = []
        var bound = Int64.max
        for h in heartbeats.sorted(by: { $0.at > $1.at }) where h.at <= bound {
            picked.append(h.depth)
            if picked.count == backlogHeartbeats { break }
            bound = h.at - backlogSpacingSeconds * 1000
        }
        return picked.reversed()
    }

    /// Every value in its range, or the first one that is not, named as its `serve` option.
    public func validated() throws(AlertConfigurationError) -> AlertThresholds {
        func check(_ ok: Bool, _ option: String, _ message: String) throws(AlertConfigurationError) {
            if !ok { throw AlertConfigurationError(option: option, message: message) }
        }
        try check((1...60).contains(silentDays), "--alert-silent-days", "must be 1…60, not \(silentDays)")
        try check(
            silenceFloorDBFS.isFinite && (-120...0).contains(silenceFloorDBFS), "--alert-silence-floor-dbfs",
            "must be -120…0, not \(silenceFloorDBFS)")
        try check(
            clippingFrameRatio.isFinite && clippingFrameRatio > 0 && clippingFrameRatio <= 1, "--alert-clipping-ratio",
            "must be in (0, 1], not \(clippingFrameRatio)")
        try check((1...1440).contains(clippingMinutes), "--alert-clipping-minutes", "must be 1…1440, not \(clippingMinutes)")
        try check(
            (3600...365 * 86_400).contains(offlineSeconds), "--alert-offline-days",
            "must be between 1 hour and 365 days, not \(offlineSeconds) s")
        try check((2...100).contains(backlogHeartbeats), "--alert-backlog-heartbeats", "must be 2…100, not \(backlogHeartbeats)")
        try check(
            (60...86_400).contains(backlogSpacingSeconds), "--alert-backlog-spacing",
            "must be 60…86400 seconds, not \(backlogSpacingSeconds)")
        try check(
            (1...100_000_000).contains(backlogMinimum), "--alert-backlog-minimum", "must be 1…100000000, not \(backlogMinimum)")
        try check(
            (0...30 * 86_400).contains(closeAfterSeconds), "--alert-close-after",
            "must be 0 s … 30 days, not \(closeAfterSeconds) s")
        return self
    }
}

/// A bad alert setting: the option it came from and what is wrong with it.
public struct AlertConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var option: String
    public var message: String

    public init(option: String, message: String) {
        self.option = option
        self.message = message
    }

    public var description: String { "\(option): \(message)" }
}
