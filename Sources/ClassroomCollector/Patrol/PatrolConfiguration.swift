/// How the collector runs patrols (巡课).
public struct PatrolConfiguration: Sendable {
    /// A viewer not seen for this long has left (the view log's idle gap, shared with live viewing).
    public var idleMillis: Int64
    /// A new patrol is kept this long even without a viewer: the agent needs time to chime, start
    /// ffmpeg and publish, and the player to fetch its first playlist.
    public var startupGraceMillis: Int64
    /// How often open patrols are checked for viewers and lesson end.
    public var checkInterval: Duration

    public init(
        idleMillis: Int64 = LessonViewing.idleMillis, startupGraceMillis: Int64 = 60_000, checkInterval: Duration = .seconds(5)
    ) {
        self.idleMillis = idleMillis
        self.startupGraceMillis = startupGraceMillis
        self.checkInterval = checkInterval
    }
}

/// Names shared by everything that creates or reads patrol orders.
public enum PatrolOrders {
    /// ``SpotCheckOrderRecord/source`` of a patrol order.
    public static let source = "patrol"
    /// Order ids of patrols: `patrol-` and 12 random characters.
    static let idPrefix = "patrol-"
}
