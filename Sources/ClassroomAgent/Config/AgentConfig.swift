import ClassroomCore
import FoundationEssentials
import Glibc
import Logging

/// The agent's settings from `/etc/classroomd/classroomd.toml` (a strict TOML subset, see `TOMLDocument`).
///
/// - Important: what enrollment learns (device id, credential, key) lives in the state directory, never
///   here. Unknown keys and wrong types are errors naming `FILE:LINE: key`.
public struct AgentConfig: Sendable, Hashable {
    /// The default config path.
    public static let defaultPath = "/etc/classroomd/classroomd.toml"

    /// Base URL of the collector (`https://collector.example`); nil to use the one recorded at enrollment.
    public var collector: String?
    /// Where the outbox, key and credential live: `$STATE_DIRECTORY` (systemd) or `/var/lib/classroomd`.
    public var stateDirectory: String
    /// ALSA capture PCM name; nil means the first capture PCM found.
    public var microphone: String?
    /// Camera source for spot-check streams: a v4l2 device node (`/dev/video0`) or ffmpeg input
    /// arguments (`-f lavfi -i testsrc2`); nil means the first camera of the inventory.
    public var camera: String?
    /// ALSA playback PCM for the spot-check chime (default `default`); nil plays no chime (`"none"` in the file).
    public var chimeDevice: String? = "default"
    /// A command run with the notice's title and text when a spot-check starts (such as `notify-send`).
    public var notifyCommand: String?
    /// The ffmpeg executable (a name looked up in PATH, or a path).
    public var ffmpeg = "ffmpeg"
    /// Loopback port of the local status page (http://127.0.0.1:PORT/); 0 turns it off.
    public var statusPort = AgentConfig.defaultStatusPort
    /// The default ``statusPort``: the collector's port (8470) plus one.
    public static let defaultStatusPort = 8471
    /// Host names the status page answers to besides 127.0.0.1, localhost and [::1] (DNS rebinding defence).
    public var statusHosts: [String] = []
    /// Frame size the spot-check camera is asked for and its stream is scaled into (`stream_video_size`).
    public var streamVideoSize = StreamVideoSize.default
    /// ffmpeg's encoder and filter threads for the spot-check stream (`stream_threads`).
    public var streamThreads = 2
    /// PEM CA bundle for the collector's TLS certificate; nil means the system store.
    public var caBundle: String?
    /// Bound of the outbox's queued event bodies (default 64 MiB).
    public var outboxMaxBytes: Int64 = 64 << 20
    /// Seconds between heartbeats.
    public var heartbeatSeconds: Double = 60
    /// Seconds one command long-poll waits at the collector.
    public var pollWaitSeconds: Int = 25
    /// The first connection waits a random delay up to this many seconds (no stampede at 08:00).
    public var firstConnectJitterSeconds: Double = 30
    /// Upper bound of the retry backoff.
    public var backoffMaxSeconds: Double = 300
    /// Timeout of one request (the long-poll adds its wait).
    public var requestTimeoutSeconds: Int = 30
    public var logLevel: Logger.Level = .info
    /// The only host spot-check orders may stream to (the county's media server); nil accepts the host
    /// each order names. An order whose `ingest_url` names another host is refused.
    public var ingestHost: String?

    static let keys: Set<String> = [
        "collector", "state_directory", "microphone", "camera", "ca_bundle", "outbox_max_bytes", "heartbeat_seconds",
        "poll_wait_seconds", "first_connect_jitter_seconds", "backoff_max_seconds", "request_timeout_seconds",
        "log_level", "chime_device", "notify_command", "ffmpeg", "status_port", "ingest_host",
        "status_hosts", "stream_video_size", "stream_threads",
    ]

    /// The defaults, with the state directory from `environment`.
    public init(environment: [String: String] = [:]) {
        let fromSystemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init)
        stateDirectory = fromSystemd ?? "/var/lib/classroomd"
    }

    /// Parses config text; `file` names the file in errors.
    public static func parse(_ text: String, file: String, environment: [String: String] = [:]) throws(TOMLError) -> AgentConfig {
        let doc = try TOMLDocument.parse(text, file: file)
        if let (name, table) = doc.tables.first {
            throw TOMLError(file: file, line: table.line, key: name, message: "unknown table (the agent config has no tables)")
        }
        if let (name, tables) = doc.arrays.first {
            throw TOMLError(
                file: file, line: tables[0].line, key: name, message: "unknown table (the agent config has no tables)")
        }
        let t = doc.root
        try t.rejectUnknownKeys(allowed: keys)
        var c = AgentConfig(environment: environment)
        if let url = try t.string("collector") {
            guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.count > 8, !url.contains(" ") else {
                throw t.error("collector", "expected an http:// or https:// URL, found '\(url)'")
            }
            c.collector = String(url.reversed().drop { $0 == "/" }.reversed())
        }
        if let dir = try t.string("state_directory") {
            guard dir.hasPrefix("/") else { throw t.error("state_directory", "expected an absolute path, found '\(dir)'") }
            c.stateDirectory = dir
        }
        c.microphone = try t.string("microphone")
        if let camera = try t.string("camera") {
            guard !camera.allSatisfy({ $0 == " " || $0 == "\t" }) else {
                throw t.error("camera", "expected a device path such as /dev/video0 or ffmpeg input arguments, found ''")
            }
            guard !camera.hasPrefix("/") || !camera.contains(" ") else {
                throw t.error("camera", "a device path has no spaces, found '\(camera)'")
            }
            c.camera = camera
        }
        if let device = try t.string("chime_device") {
            guard !device.isEmpty, !device.contains(" ") else {
                throw t.error("chime_device", "expected an ALSA PCM name or \"none\", found '\(device)'")
            }
            c.chimeDevice = device == "none" ? nil : device
        }
        if let command = try t.string("notify_command") {
            guard !command.isEmpty, !command.contains(" ") else {
                throw t.error("notify_command", "expected one executable name or path, found '\(command)'")
            }
            c.notifyCommand = command
        }
        if let ffmpeg = try t.string("ffmpeg") {
            guard !ffmpeg.isEmpty, !ffmpeg.contains(" ") else {
                throw t.error("ffmpeg", "expected an executable name or path, found '\(ffmpeg)'")
            }
            c.ffmpeg = ffmpeg
        }
        if let v = try t.integer("status_port") {
            guard (0...65_535).contains(v) else { throw t.error("status_port", "must be in 0…65535 (0: off), found \(v)") }
            c.statusPort = Int(v)
        }
        try c.parseStatusAndStream(t)
        c.caBundle = try t.string("ca_bundle")
        if let host = try t.string("ingest_host") {
            guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" || $0 == "\t" || $0 == "@" }) else {
                throw t.error("ingest_host", "expected a host name or address such as media.county.example, found '\(host)'")
            }
            c.ingestHost = host
        }
        if let v = try t.integer("outbox_max_bytes") {
            guard v >= 65_536 else { throw t.error("outbox_max_bytes", "must be at least 65536, found \(v)") }
            c.outboxMaxBytes = v
        }
        if let v = try t.number("heartbeat_seconds") {
            guard v > 0, v <= 86_400 else { throw t.error("heartbeat_seconds", "must be in (0, 86400], found \(v)") }
            c.heartbeatSeconds = v
        }
        if let v = try t.integer("poll_wait_seconds") {
            guard (0...300).contains(v) else { throw t.error("poll_wait_seconds", "must be in 0…300, found \(v)") }
            c.pollWaitSeconds = Int(v)
        }
        if let v = try t.number("first_connect_jitter_seconds") {
            guard v >= 0, v <= 3600 else { throw t.error("first_connect_jitter_seconds", "must be in 0…3600, found \(v)") }
            c.firstConnectJitterSeconds = v
        }
        if let v = try t.number("backoff_max_seconds") {
            guard v >= 0.1, v <= 86_400 else { throw t.error("backoff_max_seconds", "must be in 0.1…86400, found \(v)") }
            c.backoffMaxSeconds = v
        }
        if let v = try t.integer("request_timeout_seconds") {
            guard (1...600).contains(v) else { throw t.error("request_timeout_seconds", "must be in 1…600, found \(v)") }
            c.requestTimeoutSeconds = Int(v)
        }
        if let v = try t.string("log_level") {
            guard let level = Logger.Level(rawValue: v) else {
                throw t.error("log_level", "expected one of trace, debug, info, notice, warning, error, critical; found '\(v)'")
            }
            c.logLevel = level
        }
        return c
    }

    /// Reads and parses `path`; a missing or unreadable file is an error naming it.
    public static func load(path: String, environment: [String: String]) throws(TOMLError) -> AgentConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TOMLError(
                file: path, line: 0, key: nil, message: "cannot read the config file (\(String(cString: strerror(errno))))")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TOMLError(file: path, line: 0, key: nil, message: "the config file is not UTF-8")
        }
        return try parse(text, file: path, environment: environment)
    }

    /// The outbox database file.
    public var outboxPath: String { stateDirectory + "/outbox.db" }
}
