import ClassroomWire
import FoundationEssentials

/// The runner's full account of one spot-check stream (shown by `classroomd spotcheck-test --json`).
///
/// What is signed (``EvidenceSigner``) and sent to the collector is its wire summary ``payload``
/// (ClassroomWire's `SpotCheckEvidencePayload`).
public struct SpotCheckRunReport: Codable, Sendable, Hashable {
    /// Schema version of this payload.
    public var version: Int
    public var orderID: String
    /// Agent clock, milliseconds since 1970: when the first ffmpeg started and when the last one ended.
    public var startedAt: Int64
    public var endedAt: Int64
    /// `completed`, `stopped`, `fault`, `not_published`, `ffmpeg_missing`, `lesson_over`.
    public var outcome: String
    /// Video frames and bytes ffmpeg reported as sent, summed over every ffmpeg run.
    public var frames: Int64
    public var bytes: Int64
    /// Share of 20 ms audio frames judged speech while streaming (0…1).
    public var speechRatio: Double
    /// Audio frames analysed for ``speechRatio``.
    public var audioFrames: Int64
    /// The camera source (ffmpeg input arguments) and the ALSA capture PCM.
    public var camera: String
    public var microphone: String
    /// Each ffmpeg run's end, in order: `exit 0`, `exit 1`, `signal 9`, `spawn failed: …`.
    public var ffmpegExits: [String]
    public var restarts: Int
    /// The last problem in plain words (ffmpeg's last error line), if any.
    public var error: String?
    /// Why the stream was ended before the lesson did (outcome `stopped`), when a reason was given.
    public var stopReason: String?

    public init(
        version: Int = 1, orderID: String, startedAt: Int64, endedAt: Int64, outcome: String, frames: Int64, bytes: Int64,
        speechRatio: Double, audioFrames: Int64, camera: String, microphone: String, ffmpegExits: [String], restarts: Int,
        error: String? = nil, stopReason: String? = nil
    ) {
        self.version = version
        self.orderID = orderID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.frames = frames
        self.bytes = bytes
        self.speechRatio = speechRatio
        self.audioFrames = audioFrames
        self.camera = camera
        self.microphone = microphone
        self.ffmpegExits = ffmpegExits
        self.restarts = restarts
        self.error = error
        self.stopReason = stopReason
    }

    /// The summary the collector verifies and classifies (ClassroomWire's evidence payload).
    ///
    /// - Important: a run that could not stream (ffmpeg missing, crashing, or never getting a byte out
    ///   within its restarts) carries `fault` = `ffmpeg_failed: …`, so the collector classifies the order
    ///   `device_fault`: the room received the order and tried, but its machine could not stream.
    public var payload: SpotCheckEvidencePayload {
        let faulty = ["fault", "ffmpeg_missing", "not_published"].contains(outcome)
        return SpotCheckEvidencePayload(
            orderID: orderID, startedAt: startedAt, endedAt: endedAt, frames: frames, bytesSent: bytes,
            speechRatio: speechRatio, camera: camera, microphone: microphone,
            ffmpegExit: ffmpegExits.last.flatMap { $0.hasPrefix("exit ") ? Int($0.dropFirst(5)) : nil },
            fault: faulty ? "ffmpeg_failed: \(outcome)" + (error.map { ": \($0)" } ?? "") : nil, stopReason: stopReason)
    }

    enum CodingKeys: String, CodingKey {
        case version, outcome, frames, bytes, camera, microphone, restarts, error
        case orderID = "order_id"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case speechRatio = "speech_ratio"
        case audioFrames = "audio_frames"
        case ffmpegExits = "ffmpeg_exits"
        case stopReason = "stop_reason"
    }
}
