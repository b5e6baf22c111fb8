import ArgumentParser
import ClassroomAgent
import ClassroomWire
import FoundationEssentials
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `classroomd spotcheck-test`: one spot-check stream without a collector.
struct SpotCheckTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotcheck-test",
        abstract: "Stream this room's camera and microphone to an RTMP ingest for N seconds, as a spot-check would.",
        discussion: """
            Checks a room's camera, microphone and network path without a collector: plays the chime, shows the \
            notice, runs ffmpeg (video from --camera-args, audio from the ALSA microphone piped in) to --ingest, \
            restarts it if it crashes, and prints the evidence the agent would sign (signed here with a fresh key). \
            Exit status 0 when the stream ran to its end, 1 otherwise (the outcome names why, such as not_published).
            """
    )

    @Option(help: "Full RTMP URL with the stream key, such as rtmp://ingest.example:1935/live/KEY.")
    var ingest: String

    @Option(help: "How long to stream, in seconds.")
    var seconds: Int = 10

    @Option(help: "ffmpeg input arguments for the video, space-separated; write --camera-args=\"-f v4l2 -i /dev/video0\".")
    var cameraArgs = "-f v4l2 -i /dev/video0"

    @Option(help: "ALSA capture PCM for the audio (16 kHz mono).")
    var microphone = "default"

    @Option(help: "ALSA playback PCM for the chime; 'none' for no chime.")
    var chimeDevice = "none"

    @Option(help: "Command run with the notice's title and text, such as notify-send.")
    var notifyCommand: String?

    @Option(help: "Folder for spotcheck-status.json and ffmpeg's logs (default: a new folder under /tmp).")
    var stateDir: String?

    @Option(help: "How many times a crashed ffmpeg is restarted.")
    var maxRestarts = 3

    @Option(help: "ffmpeg executable.")
    var ffmpeg = "ffmpeg"

    @Flag(help: "Print {\"evidence\", \"signed\", \"public_key\"} as JSON.")
    var json = false

    func validate() throws {
        guard seconds > 0, seconds <= 4 * 3600 else { throw ValidationError("--seconds must be between 1 and 14400") }
        guard ingest.hasPrefix("rtmp://") || ingest.hasPrefix("rtmps://") else {
            throw ValidationError("--ingest must be an rtmp:// URL, got '\(ingest)'")
        }
        guard maxRestarts >= 0 else { throw ValidationError("--max-restarts must be 0 or more") }
    }

    func run() async throws {
        let directory = stateDir ?? "/tmp/classroomd-spotcheck-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = SpotCheckConfiguration(
            cameraArguments: SpotCheckConfiguration.splitArguments(cameraArgs), microphone: microphone,
            chimeDevice: chimeDevice == "none" ? nil : chimeDevice, notifyCommand: notifyCommand,
            stateDirectory: directory)
        configuration.maximumRestarts = maxRestarts
        configuration.ffmpeg = ffmpeg
        var logger = Logger(label: "classroomd.spotcheck")
        logger.logLevel = .warning
        let runner = SpotCheckRunner(
            configuration: configuration, logger: logger, chime: LinuxChimePlayer(), microphone: LinuxStreamMicrophone())
        let now = AgentClock.system.nowMillis()
        let order = SpotCheckOrderPayload(
            orderID: "test-\(now)", ingestURL: ingest, lessonStart: now, lessonEnd: now + Int64(seconds) * 1000,
            teacherName: "测试", subject: "设备检测")
        let evidence = await runner.run(order)
        let key = EvidenceSigner()
        let signed = try key.sign(orderID: evidence.orderID, payload: evidence.payload)
        if json {
            print(try JSONOutput.string(SpotCheckTestOutput(evidence: evidence, signed: signed, publicKey: key.publicKeyBase64)))
        } else {
            print("outcome: \(evidence.outcome)")
            print("frames: \(evidence.frames), bytes: \(evidence.bytes), speech ratio: \(evidence.speechRatio)")
            print("ffmpeg runs: \(evidence.ffmpegExits.joined(separator: ", ")); restarts: \(evidence.restarts)")
            if let error = evidence.error { print("last error: \(error)") }
            print("status and logs: \(directory)")
        }
        guard evidence.outcome == "completed" || evidence.outcome == "stopped" else {
            throw ValidationFailure("spot-check stream \(evidence.outcome): \(evidence.error ?? "no details")")
        }
    }
}

/// The JSON of `classroomd spotcheck-test --json`.
struct SpotCheckTestOutput: Encodable {
    var evidence: SpotCheckRunReport
    var signed: SignedEvidence
    var publicKey: String

    enum CodingKeys: String, CodingKey {
        case evidence, signed
        case publicKey = "public_key"
    }
}
