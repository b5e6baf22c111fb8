import Foundation

/// How the collector keeps the recordings of called lessons: where nginx-rtmp writes them, where
/// the MP4s go, how long they stay and how much disk must stay free.
public struct RecordingConfiguration: Sendable {
    /// nginx-rtmp's `record_path`: an `on_record_done` path outside it is refused.
    public var ingestDirectory: String
    /// Where the MP4s are kept (the collector must be able to write it).
    public var directory: String
    /// A recording is deleted this many days after it was made.
    public var retentionDays: Int
    /// Below this much free space on the recordings' file system, the oldest recordings are deleted.
    public var minimumFree: RecordingMinimumFree
    /// The ffmpeg and ffprobe executables (a name is looked up in `PATH`).
    public var ffmpeg: String
    public var ffprobe: String
    /// How often retention and free space are checked.
    public var sweepInterval: Duration

    public init(
        ingestDirectory: String = RecordingConfiguration.defaultIngestDirectory,
        directory: String = RecordingConfiguration.defaultDirectory(), retentionDays: Int = 30,
        minimumFree: RecordingMinimumFree = .percent(10), ffmpeg: String = "ffmpeg", ffprobe: String = "ffprobe",
        sweepInterval: Duration = .seconds(60)
    ) {
        self.ingestDirectory = ingestDirectory
        self.directory = directory
        self.retentionDays = retentionDays
        self.minimumFree = minimumFree
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
        self.sweepInterval = sweepInterval
    }

    /// The `record_path` of the shipped `Deploy/media/nginx-rtmp.conf`.
    public static let defaultIngestDirectory = "/var/lib/classroomfleet/media"

    /// `recordings/` in systemd's `STATE_DIRECTORY`, else in the current folder.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init) ?? "."
        return "\(state)/recordings"
    }

    /// When a recording made at `createdAt` expires, milliseconds since 1970.
    public func expiry(of createdAt: Int64) -> Int64 { createdAt + Int64(retentionDays) * 86_400_000 }
}

/// `--recording-min-free`: a share of the file system (`10%`) or a size (`5G`, `500M`, `1048576`).
public enum RecordingMinimumFree: Sendable, Hashable, CustomStringConvertible {
    case percent(Double)
    case bytes(Int64)

    /// Parses `N%` (0…100) or `N`, `NK`, `NM`, `NG`, `NT` (powers of 1024); nil otherwise.
    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        if s.hasSuffix("%") {
            guard let p = Double(s.dropLast()), p.isFinite, (0...100).contains(p) else { return nil }
            self = .percent(p)
            return
        }
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(s)
        var unit: Int64 = 1
        if let last = s.last, let u = units[last] {
            unit = u
            digits = s.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int64(digits), n >= 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        self = .bytes(product)
    }

    /// Whether `space` has at least this much available.
    public func isSatisfied(by space: FileSystemSpace) -> Bool {
        switch self {
        case .percent(let p): Double(space.available) >= Double(space.total) * p / 100
        case .bytes(let n): space.available >= n
        }
    }

    public var description: String {
        switch self {
        case .percent(let p): p == p.rounded() ? "\(Int(p))%" : "\(p)%"
        case .bytes(let n): "\(n) bytes"
        }
    }
}
