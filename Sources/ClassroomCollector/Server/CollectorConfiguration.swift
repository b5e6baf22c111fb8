import ClassroomCore
import Foundation

/// How a collector runs: where it listens, its store, and the limits it sets on purpose.
public struct CollectorConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `sqlite:PATH` or `postgres://user:password@host:port/database`.
    public var databaseURL: String
    /// Longest long-poll, seconds; agents asking for more get this.
    public var maximumWait: Int
    /// Connections above this wait in the listen backlog (long-polls hold one each).
    public var maximumConnections: Int
    /// An idle keep-alive connection is closed after this; longer than the longest long-poll.
    public var idleTimeout: Duration
    /// Largest registry import body.
    public var registryImportLimit: Int
    /// A device heard from within this many seconds is online.
    public var onlineWindowSeconds: Int64
    /// Where `GET /api/v1/coverage` finds target profiles (`NAME.toml`); nil: the default search path
    /// (see ``ProfileDirectory``).
    public var profilesDirectory: String?
    /// The county's time zone: report days and lesson periods are local times in it.
    public var timeZone: String = "Asia/Shanghai"
    /// The spot-check: zone, media server, lead time, thresholds.
    public var spotcheck = SpotCheckConfiguration()
    /// Patrols (巡课): the start-up grace and how often open patrols are checked for viewers.
    public var patrol = PatrolConfiguration()
    /// What one device credential may take: long-polls, request rate, daily upload bytes.
    public var agentLimits = AgentLimits()
    /// The web console: session idle time, sign-in lockout, trusted proxies.
    public var console = ConsoleConfiguration()
    /// Recordings of called lessons: folders, retention, minimum free space, ffmpeg.
    public var recordings = RecordingConfiguration()
    /// The evaluation rubric (评课) and observation quotas (听课), from `serve --observation-profile`.
    public var observation = ObservationProfile.standard
    /// Device-health alerts: thresholds, evaluation interval, WeCom webhook and email delivery.
    public var alerts = AlertConfiguration()

    public init(
        host: String = "127.0.0.1", port: Int = 8470, databaseURL: String, maximumWait: Int = 60,
        maximumConnections: Int = 20_000, idleTimeout: Duration = .seconds(90), registryImportLimit: Int = 256 * 1024 * 1024,
        onlineWindowSeconds: Int64 = 600
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.maximumWait = maximumWait
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
        self.registryImportLimit = registryImportLimit
        self.onlineWindowSeconds = onlineWindowSeconds
    }

    /// The default database: `sqlite:` a file in systemd's `STATE_DIRECTORY`, else the current folder.
    public static func defaultDatabaseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let directory = environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init) ?? "."
        return "sqlite:\(directory)/collector.sqlite"
    }
}

/// The collector's clock in milliseconds since 1970.
public func collectorNow() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
