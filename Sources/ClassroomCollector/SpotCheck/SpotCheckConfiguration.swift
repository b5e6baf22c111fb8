import ClassroomCore

/// How the collector runs the spot-check: the county's zone, the media server, lead time and
/// grace, and the thresholds of the results.
public struct SpotCheckConfiguration: Sendable {
    /// Lesson times are wall-clock times in this zone.
    public var zone: CountyTimeZone
    /// The RTMP application agents push to; an order's URL is this plus `/` and its single-use key.
    public var ingestURL: String
    /// The RTMP application patrol (巡课) orders push to; nil: ``ingestURL`` with its last path
    /// segment replaced by `patrol` (see ``patrolIngest``).
    public var patrolIngestURL: String?
    /// The RTMP application self-test (自检推流) orders push to; nil: ``ingestURL`` with its last path
    /// segment replaced by `selftest` (see ``selfTestIngest``).
    public var selfTestIngestURL: String?
    /// An order reaches its room this long before the lesson starts.
    public var leadSeconds: Int64
    /// A stream may start this long before the lead time and end this long after the lesson.
    public var graceSeconds: Int64
    /// The `secret` query parameter nginx-rtmp must send on `on_publish`/`on_publish_done`; nil
    /// disables the hooks (every publish is refused).
    public var mediaHookSecret: String?
    /// A room is eligible when its device was heard from within this many seconds.
    public var seenWithinSeconds: Int64
    /// How often the dispatcher looks for due orders.
    public var dispatchInterval: Duration
    /// A stream shorter than this share of the lesson is `partial`.
    public var minimumStreamedFraction: Double
    /// Evidence with a lower speech ratio is `partial` (a silent room).
    public var minimumSpeechRatio: Double

    public init(
        zone: CountyTimeZone = SpotCheckConfiguration.defaultZone, ingestURL: String = "rtmp://127.0.0.1/live",
        leadSeconds: Int64 = 60, graceSeconds: Int64 = 300, mediaHookSecret: String? = nil, seenWithinSeconds: Int64 = 86_400,
        dispatchInterval: Duration = .seconds(10), minimumStreamedFraction: Double = 0.8, minimumSpeechRatio: Double = 0.1
    ) {
        self.zone = zone
        self.ingestURL = ingestURL
        self.leadSeconds = leadSeconds
        self.graceSeconds = graceSeconds
        self.mediaHookSecret = mediaHookSecret
        self.seenWithinSeconds = seenWithinSeconds
        self.dispatchInterval = dispatchInterval
        self.minimumStreamedFraction = minimumStreamedFraction
        self.minimumSpeechRatio = minimumSpeechRatio
    }

    /// `Asia/Shanghai` from the system's tz database, or UTC+8 when it is not installed.
    public static var defaultZone: CountyTimeZone {
        (try? CountyTimeZone.named("Asia/Shanghai")) ?? CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
    }

    /// Where patrol orders push to: ``patrolIngestURL``, or `rtmp://host/live` → `rtmp://host/patrol`.
    public var patrolIngest: String { patrolIngestURL ?? sibling("patrol") }

    /// Where self-test orders push to: ``selfTestIngestURL``, or `rtmp://host/live` → `rtmp://host/selftest`.
    public var selfTestIngest: String { selfTestIngestURL ?? sibling("selftest") }

    /// ``ingestURL`` with its last path segment replaced by `application`.
    func sibling(_ application: String) -> String {
        var base = ingestURL
        while base.hasSuffix("/") { base.removeLast() }
        guard let slash = base.lastIndex(of: "/"), base[..<slash].hasSuffix("/") == false else { return base + "/" + application }
        return base[...slash] + application
    }

    /// Milliseconds since 1970 of a wall-clock time of `week`.
    func instant(week: ISOWeek, weekday: Int, minutes: Int) -> Int64 {
        let date = zone.instant(of: week.date(weekday: weekday), at: TimeOfDay(minutes: minutes))
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The end of `week` (next Monday 00:00 in the zone), milliseconds since 1970.
    func endOfWeek(_ week: ISOWeek) -> Int64 { instant(week: week.next, weekday: 1, minutes: 0) }
}
