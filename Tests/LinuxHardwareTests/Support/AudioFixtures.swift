import ClassroomTestSupport
import Foundation

/// The speech-activity fixtures: raw audio and an ALSA configuration of `type file` PCMs.
///
/// scripts/test.d/30-audio-fixtures.sh makes them before `swift test` and exports
/// `CLASSROOMFLEET_AUDIO_FIXTURES`; when a test runs on its own, they are made here with the same script.
enum AudioFixtures {
    static let directory: Result<URL, any Error> = Result {
        let env = ProcessInfo.processInfo.environment["CLASSROOMFLEET_AUDIO_FIXTURES"] ?? ""
        let dir = URL(filePath: env.isEmpty ? "/tmp/classroomfleet-audio-fixtures" : env, directoryHint: .isDirectory)
        let script = HardwareFixtures.fixtures.appending(path: "audio/make-audio-fixtures.sh")
        let output = try TestProcess.run(try HardwareFixtures.tool("bash"), [script.path, dir.path])
        guard output.status == 0 else { throw TestSupportError("make-audio-fixtures.sh failed: \(output.stderr)") }
        return dir
    }

    /// Environment that makes ALSA read only the fixture configuration.
    static func alsaEnvironment() throws -> [String: String] {
        ["ALSA_CONFIG_PATH": try directory.get().appending(path: "asound.conf").path]
    }

    /// `classroomd probe-audio --json` on one fixture PCM.
    static func probe(_ pcm: String, seconds: Double = 10) throws -> ProbeResult {
        let output = try TestProcess.run(
            try TestProcess.product("classroomd"), ["probe-audio", "--device", pcm, "--seconds", "\(seconds)", "--json"],
            environment: try alsaEnvironment())
        guard output.status == 0 else { throw TestSupportError("probe-audio \(pcm) exited \(output.status): \(output.stderr)") }
        return try JSONDecoder().decode(ProbeResult.self, from: Data(output.stdout.utf8))
    }

    /// The JSON of `classroomd probe-audio --json`.
    struct ProbeResult: Decodable {
        var frames: Int
        var rms_dbfs: Double
        var peak_dbfs: Double
        var speech_ratio: Double
        var clipping_ratio: Double
    }
}
