import Glibc

/// The agent's one wall clock, injected into every part that reads the time: events and batches
/// (``Outbox``, ``Uploader``), usage minutes (``UsageTracker``), heartbeats, the command checks, the
/// spot-check window and its evidence (``SpotCheckService``), the status page.
///
/// - Important: the collector corrects each event's time by the skew it measures on the batch's
///   `sent_at`, so everything the agent stamps must come from this same clock. ``offsetVariable`` lets
///   a test run the real daemon on a clock that is wrong by up to two days through this path
///   (libfaketime is no alternative: under its `LD_PRELOAD` a Swift program sees no command-line
///   arguments). Tests of single parts pass a clock of their own (``init(reading:)``).
public struct AgentClock: Sendable {
    /// Test knob: `CLASSROOMD_CLOCK_OFFSET_SECONDS` (whole seconds, −172800…172800) is added to what
    /// the agent reads from the wall clock, as on a machine whose clock is that far off. Unset in production.
    public static let offsetVariable = "CLASSROOMD_CLOCK_OFFSET_SECONDS"
    /// The largest offset the knob accepts, in seconds (two days).
    public static let maximumOffsetSeconds: Int64 = 172_800

    /// The machine's wall clock (`CLOCK_REALTIME`) without offset.
    public static let system = AgentClock()

    private let read: @Sendable () -> Int64
    /// The longest single sleep of ``sleep(untilMillis:)`` before the clock is read again: a wall
    /// clock can be set (NTP), a test clock is moved by the test.
    private let recheckMillis: Int64

    /// The wall clock plus `offsetMillis` (the daemon's clock; the offset only under the test knob).
    public init(offsetMillis: Int64 = 0) {
        read = {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000 + offsetMillis
        }
        recheckMillis = 30_000
    }

    /// A clock that reads `reading` (tests: a fixed or hand-moved time).
    public init(reading: @escaping @Sendable () -> Int64) {
        read = reading
        recheckMillis = 20
    }

    /// A clock standing still at `millis`.
    public static func fixed(_ millis: Int64) -> AgentClock { AgentClock(reading: { millis }) }

    /// Milliseconds since 1970 on the agent's clock.
    public func nowMillis() -> Int64 { read() }

    /// Suspends until the clock reads `untilMillis` or later (throws on cancellation).
    public func sleep(untilMillis: Int64) async throws {
        while true {
            let left = untilMillis - nowMillis()
            if left <= 0 { return }
            try await Task.sleep(for: .milliseconds(min(left, recheckMillis)))
        }
    }

    /// Parses the knob's value; nil when it is not a whole number of seconds within ±``maximumOffsetSeconds``.
    public static func parseOffset(_ text: String) -> Int64? {
        // Not abs(seconds): abs(Int64.min) traps.
        guard let seconds = Int64(text), (-maximumOffsetSeconds...maximumOffsetSeconds).contains(seconds) else { return nil }
        return seconds
    }
}
