import ClassroomTestSupport
import Foundation

/// The speech fixtures as ALSA `type file` PCMs (scripts/test.d/30-audio-fixtures.sh makes them).
enum AgentAudioFixtures {
    static let directory: Result<URL, any Error> = Result {
        let env = ProcessInfo.processInfo.environment["CLASSROOMFLEET_AUDIO_FIXTURES"] ?? ""
        let dir = URL(filePath: env.isEmpty ? "/tmp/classroomfleet-audio-fixtures" : env, directoryHint: .isDirectory)
        let script = MediaServerProcess.repository.appending(path: "Tests/Fixtures/audio/make-audio-fixtures.sh")
        let output = try TestProcess.run(URL(filePath: "/bin/bash"), [script.path, dir.path])
        guard output.status == 0 else { throw TestSupportError("make-audio-fixtures.sh failed: \(output.stderr)") }
        return dir
    }

    static func environment() throws -> [String: String] {
        ["ALSA_CONFIG_PATH": try directory.get().appending(path: "asound.conf").path]
    }
}
