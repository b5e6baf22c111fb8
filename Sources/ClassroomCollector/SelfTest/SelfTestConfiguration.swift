import ClassroomCore

/// How the collector schedules the recording rooms' weekly self-test publish.
public struct SelfTestConfiguration: Sendable {
    /// The daily window, its weekdays and the publish's length (default 12:10–13:30, Monday–Friday, 60 s).
    public var window: SelfTestWindow
    /// A self-test keeps at least this many minutes away from the room's timetabled lessons.
    public var marginMinutes: Int
    /// How often the scheduler looks for rooms without this week's self-test.
    public var interval: Duration
    /// Self-tests a room may have in one week: after one that did not stream (the machine was off at
    /// noon, the network down), the next goes on a later school day of the week, up to this many.
    public var attempts: Int
    /// How long after a self-test's window the scheduler waits for the media server's `on_publish_done`
    /// before it counts the attempt as failed.
    public static let settleMillis: Int64 = 10 * 60_000
    /// The range of ``attempts`` (`--selftest-attempts`).
    public static let attemptRange = 1...5

    public init(
        window: SelfTestWindow = .default, marginMinutes: Int = 5, interval: Duration = .seconds(60), attempts: Int = 3
    ) {
        self.window = window
        self.marginMinutes = marginMinutes
        self.interval = interval
        self.attempts = attempts
    }
}
