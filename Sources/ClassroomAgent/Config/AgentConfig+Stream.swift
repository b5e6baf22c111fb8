import ClassroomCore

extension AgentConfig {
    /// `status_hosts`, `stream_video_size` and `stream_threads`.
    mutating func parseStatusAndStream(_ t: TOMLTable) throws(TOMLError) {
        if let names = try t.stringArray("status_hosts") {
            for name in names where !LoopbackHostPolicy.isValidExtraName(name) {
                throw t.error("status_hosts", "expected host names (letters, digits, '-' and '.'), found '\(name)'")
            }
            statusHosts = names
        }
        if let text = try t.string("stream_video_size") {
            guard let size = StreamVideoSize(text) else {
                throw t.error(
                    "stream_video_size",
                    "expected WIDTHxHEIGHT, even, from 160x120 up to \(StreamVideoSize.largest), found '\(text)'")
            }
            streamVideoSize = size
        }
        if let v = try t.integer("stream_threads") {
            guard (1...8).contains(v) else { throw t.error("stream_threads", "must be in 1…8, found \(v)") }
            streamThreads = Int(v)
        }
    }
}

/// The frame size of a spot-check stream (`1280x720`).
///
/// - Important: bounded by ``largest`` (1080p): the unit's `MemoryMax=` is sized for ffmpeg at that
///   size (docs/agent.md, "Stream memory").
public struct StreamVideoSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    /// 720p: what most classroom cameras deliver and rural uplinks carry at 800 kbit/s.
    public static let `default` = StreamVideoSize(width: 1280, height: 720)
    /// The largest size accepted.
    public static let largest = StreamVideoSize(width: 1920, height: 1080)

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `WIDTHxHEIGHT`; nil unless both are even and within 160x120…``largest``.
    public init?(_ text: String) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ (1...4).contains($0.count) && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            let width = Int(parts[0]), let height = Int(parts[1]),
            (160...Self.largest.width).contains(width), (120...Self.largest.height).contains(height),
            width % 2 == 0, height % 2 == 0
        else { return nil }
        self.init(width: width, height: height)
    }

    public var description: String { "\(width)x\(height)" }
}
