import ClassroomCore

/// How the collector schedules the recording rooms' weekly self-test publish.
public struct SelfTestConfiguration: Sendable {
    /// The daily window, its weekdays and the publish's length (default 12:10–13:30, Monday–Friday, 60 s).
    public var window: SelfTestWindow
    /// A self-test keeps at least this many minutes away from the room's timetabled lessons.
    public var marginMinutes: Int
    /// How often the scheduler looks for rooms without this week's self-test.
    public var interval: Duration

    public init(window: SelfTestWindow = .default, marginMinutes: Int = 5, interval: Duration = .seconds(60)) {
        self.window = window
        self.marginMinutes = marginMinutes
        self.interval = interval
    }
}
