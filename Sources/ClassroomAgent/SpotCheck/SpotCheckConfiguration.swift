import FoundationEssentials

/// How a room streams: the camera source, the microphone, the chime, the notice and ffmpeg.
public struct SpotCheckConfiguration: Sendable {
    /// ffmpeg input arguments for the video, such as `-f v4l2 -i /dev/video0` (the default) or, in
    /// tests, `-re -f lavfi -i testsrc2=size=640x360:rate=25`.
    public var cameraArguments: [String]
    /// ALSA capture PCM whose 16 kHz mono S16 audio is piped into ffmpeg.
    public var microphone: String
    /// ALSA playback PCM for the chime; nil plays no chime.
    public var chimeDevice: String?
    /// A command run with the title and the Chinese notice text as its two arguments, such as `notify-send`.
    public var notifyCommand: String?
    /// Folder for `spotcheck-status.json` and ffmpeg's logs.
    public var stateDirectory: String
    public var ffmpeg = "ffmpeg"
    /// The size a v4l2 camera is asked for and every stream is scaled into (bounds ffmpeg's memory).
    public var videoSize = StreamVideoSize.default
    /// ffmpeg's encoder and filter threads (bounds its memory and CPU on the classroom machine).
    public var threads = 2
    public var maximumRestarts = 3
    public var backoffMillis: Int64 = 1_000
    /// How long ffmpeg may send no new bytes (a camera that stopped, a connection that hangs) before it
    /// is restarted (``SpotCheckRunState/stallMillis``).
    public var stallMillis: Int64 = 30_000

    public init(
        cameraArguments: [String] = ["-f", "v4l2", "-i", "/dev/video0"], microphone: String = "default",
        chimeDevice: String? = "default", notifyCommand: String? = nil, stateDirectory: String
    ) {
        self.cameraArguments = cameraArguments
        self.microphone = microphone
        self.chimeDevice = chimeDevice
        self.notifyCommand = notifyCommand
        self.stateDirectory = stateDirectory
    }

    /// Splits a camera argument string on spaces (`"-f lavfi -i testsrc2"`).
    public static func splitArguments(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// ffmpeg's full argument list for one run pushing to `ingestURL`.
    ///
    /// - Important: the frame size and the thread count are pinned (docs/agent.md, "Stream memory"): a
    ///   v4l2 camera is asked for ``videoSize`` and whatever arrives is scaled to fit it, so x264's
    ///   memory follows the config, not the camera.
    public func ffmpegArguments(ingestURL: String) -> [String] {
        let size = "\(videoSize.width)x\(videoSize.height)"
        let camera = cameraArguments.contains("v4l2") ? ["-video_size", size] + cameraArguments : cameraArguments
        let scale = "scale=\(videoSize.width):\(videoSize.height):force_original_aspect_ratio=decrease:force_divisible_by=2"
        return ["-hide_banner", "-nostats", "-loglevel", "error", "-progress", "pipe:1", "-filter_threads", "\(threads)"]
            + camera + [
                "-thread_queue_size", "1024", "-f", "s16le", "-ar", "16000", "-ac", "1", "-i", "pipe:0",
                "-map", "0:v:0", "-map", "1:a:0", "-vf", scale, "-threads", "\(threads)",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "50",
                "-b:v", "800k", "-c:a", "aac", "-b:a", "64k", "-ar", "44100", "-f", "flv", ingestURL,
            ]
    }
}

/// What the room shows while a spot-check runs: `spotcheck-status.json` in the state folder.
public struct SpotCheckLiveStatus: Codable, Sendable, Hashable {
    /// `streaming` (正在直播), `restarting`, `finished`.
    public var state: String
    public var orderID: String
    public var teacherName: String
    public var subject: String
    public var lessonEnd: Int64
    public var frames: Int64
    public var bytes: Int64
    public var speechRatio: Double
    public var restarts: Int
    /// The running ffmpeg's process id, if any.
    public var ffmpegPID: Int32?
    public var outcome: String?
    /// `patrol` for a patrol view (巡课), nil for a spot-check (the order's ``ClassroomWire/SpotCheckPurpose``).
    public var purpose: String?

    public init(
        state: String, orderID: String, teacherName: String, subject: String, lessonEnd: Int64, frames: Int64, bytes: Int64,
        speechRatio: Double, restarts: Int, ffmpegPID: Int32? = nil, outcome: String? = nil
    ) {
        self.state = state
        self.orderID = orderID
        self.teacherName = teacherName
        self.subject = subject
        self.lessonEnd = lessonEnd
        self.frames = frames
        self.bytes = bytes
        self.speechRatio = speechRatio
        self.restarts = restarts
        self.ffmpegPID = ffmpegPID
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey {
        case state, frames, bytes, restarts, subject, outcome, purpose
        case orderID = "order_id"
        case teacherName = "teacher_name"
        case lessonEnd = "lesson_end"
        case speechRatio = "speech_ratio"
        case ffmpegPID = "ffmpeg_pid"
    }
}
