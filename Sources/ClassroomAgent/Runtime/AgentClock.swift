import Glibc
import Synchronization

/// The agent's wall clock (`CLOCK_REALTIME`): the time of every event, the `sent_at` of every batch and
/// the time of the last upload are read here.
///
/// - Important: the collector corrects each event's time by the skew it measures on the batch's
///   `sent_at`. ``offsetVariable`` lets a test run the real daemon on a clock that is wrong by up to
///   two days through this same path (libfaketime is no alternative: under its `LD_PRELOAD` a Swift
///   program sees no command-line arguments).
public enum AgentClock {
    /// Test knob: `CLASSROOMD_CLOCK_OFFSET_SECONDS` (whole seconds, −172800…172800) is added to what
    /// the agent reads from the wall clock, as on a machine whose clock is that far off. Unset in production.
    public static let offsetVariable = "CLASSROOMD_CLOCK_OFFSET_SECONDS"
    /// The largest offset the knob accepts, in seconds (two days).
    public static let maximumOffsetSeconds: Int64 = 172_800
    private static let offsetMillis = Atomic<Int64>(0)

    /// Parses the knob's value; nil when it is not a whole number of seconds within ±``maximumOffsetSeconds``.
    public static func parseOffset(_ text: String) -> Int64? {
        // Not abs(seconds): abs(Int64.min) traps.
        guard let seconds = Int64(text), (-maximumOffsetSeconds...maximumOffsetSeconds).contains(seconds) else { return nil }
        return seconds
    }

    /// Sets the offset added to every reading (the daemon does this once at start).
    public static func setOffset(seconds: Int64) { offsetMillis.store(seconds * 1000, ordering: .relaxed) }

    /// Milliseconds since 1970 on the agent's wall clock.
    public static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000 + offsetMillis.load(ordering: .relaxed)
    }
}
