import ClassroomTestSupport
import Foundation
import Testing

/// A busy microphone and one unplugged mid-capture, met by the real alsa-lib and the real
/// `classroomd probe-audio`: the cftest ALSA I/O plugin (Tests/Fixtures/alsa/cftest-plugin.c) fails
/// the way a kernel driver does (EBUSY on open; ENODEV from every call once the device is gone).
@Suite("classroomd probe-audio when the microphone is busy or removed (ALSA ioplug simulation)")
struct AudioFailureTests {
    /// `classroomd probe-audio` on a cftest PCM; a crash would show as a status other than 0 or 1.
    static func probe(_ pcm: String, seconds: String = "5", json: Bool = false) throws -> TestProcess.Output {
        var arguments = ["probe-audio", "--device", pcm, "--seconds", seconds]
        if json { arguments.append("--json") }
        return try TestProcess.run(
            try TestProcess.product("classroomd"), arguments, environment: try FailurePlugin.alsaEnvironment(),
            timeout: .seconds(60))
    }

    @Test("a microphone held by another program: exit 1, says it is busy and names it")
    func busy() throws {
        let output = try Self.probe("busy")
        #expect(output.status == 1)
        #expect(output.stderr.contains("ALSA PCM 'busy' is busy: another program is using it"), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    @Test("a microphone unplugged after 1 s of a 5 s capture: exit 1, says it was removed, no hang")
    func removedMidCapture() throws {
        let output = try Self.probe("vanish", json: true)
        #expect(output.status == 1)
        #expect(output.stderr.contains("ALSA PCM 'vanish' was removed while in use"), "\(output.stderr)")
        #expect(output.stdout.isEmpty, "no figures for a capture that did not finish")
        // The plugin delivered 16,000 frames (1 s at 16 kHz) = 50 frames of 20 ms before it vanished.
        let captured = try #require(Self.capturedFrames(output.stderr), "\(output.stderr)")
        #expect((48...50).contains(captured), "captured \(captured) frames")
    }

    @Test("a microphone gone before the first frame: exit 1, removed, nothing captured")
    func removedAtOnce() throws {
        let output = try Self.probe("vanish_at_once", seconds: "1")
        #expect(output.status == 1)
        #expect(output.stderr.contains("ALSA PCM 'vanish_at_once' was removed while in use"), "\(output.stderr)")
        #expect(Self.capturedFrames(output.stderr) == nil)
    }

    @Test("a capture shorter than what the device delivers is not a failure")
    func shortCaptureBeforeRemoval() throws {
        let output = try Self.probe("vanish", seconds: "0.5", json: true)
        #expect(output.status == 0, "\(output.stderr)")
        let result = try JSONDecoder().decode(AudioFixtures.ProbeResult.self, from: Data(output.stdout.utf8))
        #expect(result.frames == 25)
        // The plugin's 440 Hz sine at 0.3 of full scale: RMS −13.5 dBFS.
        #expect(abs(result.rms_dbfs - -13.5) < 0.5)
    }

    /// `N` from "…; N frames (… s) had been captured".
    static func capturedFrames(_ stderr: String) -> Int? {
        guard let range = stderr.range(of: " frames (") else { return nil }
        let digits = stderr[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }
}

/// The cftest plugin and its ALSA configuration, made by scripts/test.d/35-alsa-failure-plugin.sh
/// (`CLASSROOMFLEET_ALSA_FAILURE_PLUGIN_DIR`), or here with the same script when a test runs on its own.
enum FailurePlugin {
    static let directory: Result<URL, any Error> = Result {
        let env = ProcessInfo.processInfo.environment["CLASSROOMFLEET_ALSA_FAILURE_PLUGIN_DIR"] ?? ""
        let dir = URL(
            filePath: env.isEmpty ? "/tmp/classroomfleet-alsa-failure-plugin" : env, directoryHint: .isDirectory)
        let script = HardwareFixtures.fixtures.appending(path: "alsa/build-cftest-plugin.sh")
        let output = try TestProcess.run(try HardwareFixtures.tool("bash"), [script.path, dir.path])
        guard output.status == 0 else { throw TestSupportError("build-cftest-plugin.sh failed: \(output.stderr)") }
        return dir
    }

    /// Environment that makes ALSA read only the plugin's configuration.
    static func alsaEnvironment() throws -> [String: String] {
        ["ALSA_CONFIG_PATH": try directory.get().appending(path: "asound.conf").path]
    }
}
