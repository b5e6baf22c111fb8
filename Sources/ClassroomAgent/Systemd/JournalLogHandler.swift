import FoundationEssentials
import Glibc
import Logging
import Synchronization

/// A swift-log handler writing one line per message to stdout: with `<N>` syslog priority prefixes
/// when journald reads the stream (`JOURNAL_STREAM` set), plain with a timestamp otherwise.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    let label: String
    let journald: Bool
    let level: LogLevelSetting

    /// - Parameter level: shared by every logger of the process, so a SIGHUP reload changes them all.
    public init(label: String, level: LogLevelSetting, environment: [String: String]) {
        self.label = label
        self.level = level
        journald = !(environment["JOURNAL_STREAM"] ?? "").isEmpty
    }

    public var logLevel: Logger.Level {
        get { level.current }
        set { level.current = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The syslog priority of a level (`<3>` error … `<7>` debug).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = fields.isEmpty ? "\(event.message)" : "\(event.message) \(fields)"
        let line: String
        if journald {
            line = "<\(Self.priority(event.level))>\(text)\n"
        } else {
            line = "\(Self.localTimestamp()) \(event.level) \(label): \(text)\n"
        }
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

extension JournalLogHandler {
    /// `2026-11-25 18:23:05.123 +0800`: local time with its offset, for an operator reading a plain log.
    static func localTimestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 40)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        let millis = String(ts.tv_nsec / 1_000_000 + 1000).dropFirst()
        var zone = [CChar](repeating: 0, count: 8)
        strftime(&zone, zone.count, "%z", &parts)
        let date = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(date).\(millis) \(String(decoding: zone.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))"
    }
}

/// The process-wide log level, changed by a config reload.
public final class LogLevelSetting: Sendable {
    private let value: Mutex<Logger.Level>

    public init(_ level: Logger.Level) { value = Mutex(level) }

    public var current: Logger.Level {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
