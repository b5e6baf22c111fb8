import FoundationEssentials
import Logging

/// `spotcheck-status.json`, rewritten on change only: at once when the stream's state, ffmpeg's pid,
/// the restarts or the outcome change or the first bytes go out, and the figures (frames, bytes, speech) at most every
/// ``figuresEveryMillis`` (classroom machines run on flash; the status page reads the figures from
/// memory, not from this file).
struct SpotCheckStatusFile {
    static let figuresEveryMillis: Int64 = 10_000

    let path: String
    /// The folder of the file (also ffmpeg's logs).
    let directory: String
    private(set) var written: SpotCheckLiveStatus?
    private(set) var writtenAt: Int64 = .min
    /// Times the file was rewritten.
    private(set) var writes = 0

    init(path: String) {
        self.path = path
        directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    }

    /// Whether `status` must be written now (the rule above), without writing it.
    func shouldWrite(_ status: SpotCheckLiveStatus, now: Int64) -> Bool {
        guard let written else { return true }
        if status == written { return false }
        if Self.shape(status) != Self.shape(written) { return true }
        return now >= writtenAt.saturatingAdd(Self.figuresEveryMillis)
    }

    /// Writes `status` if ``shouldWrite(_:now:)`` says so.
    mutating func offer(_ status: SpotCheckLiveStatus, now: Int64, logger: Logger) {
        if shouldWrite(status, now: now) { write(status, now: now, logger: logger) }
    }

    /// Rewrites the file atomically; a failure is logged, never fatal.
    mutating func write(_ status: SpotCheckLiveStatus, now: Int64, logger: Logger) {
        written = status
        writtenAt = now
        writes += 1
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try encoder.encode(status).write(to: URL(filePath: path), options: .atomic)
        } catch {
            logger.warning("cannot write the spot-check status file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    /// The status without its running figures (but whether anything was sent at all).
    private static func shape(_ status: SpotCheckLiveStatus) -> SpotCheckLiveStatus {
        var shape = status
        shape.frames = 0
        shape.bytes = status.bytes > 0 ? 1 : 0
        shape.speechRatio = 0
        return shape
    }
}
