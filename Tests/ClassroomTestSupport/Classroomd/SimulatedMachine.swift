import Foundation

/// A simulated classroom machine for `classroomd run`: a umockdev testbed of one device tree from
/// `Tests/Fixtures/umockdev` and an ALSA `type file` microphone (`Tests/Fixtures/audio`).
///
/// One long-lived `umockdev-run` holds the testbed; ``environment`` points a daemon at it
/// (`UMOCKDEV_DIR`, the preload library), so the daemon is the test's own child and a SIGKILL reaches
/// it — not a launcher in between — and its death by that signal can be checked. The holder ends when
/// ``stop()`` closes its input (or the test process dies), and umockdev removes the testbed.
public final class SimulatedMachine: @unchecked Sendable {
    /// The repository's `Tests/Fixtures`.
    public static let fixtures = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures")

    /// The audio fixtures' ALSA configuration: `CLASSROOMFLEET_AUDIO_FIXTURES` (scripts/test.d), or made here.
    public static let alsaConfig: Result<String, any Error> = Result {
        let env = ProcessInfo.processInfo.environment["CLASSROOMFLEET_AUDIO_FIXTURES"] ?? ""
        let dir = env.isEmpty ? "/tmp/classroomfleet-audio-fixtures" : env
        let output = try TestProcess.run(
            URL(filePath: "/bin/bash"), [fixtures.appending(path: "audio/make-audio-fixtures.sh").path, dir])
        guard output.status == 0 else { throw TestSupportError("make-audio-fixtures.sh failed: \(output.stderr)") }
        return dir + "/asound.conf"
    }

    /// Environment for `classroomd run` on this machine: the testbed, the fixture ALSA configuration and
    /// usage "minutes" of `usagePeriodSeconds`.
    public let environment: [String: String]
    private let holder: Process
    private let input: Pipe

    /// Sets up the testbed of `tree` (such as `recording-classroom`).
    public init(tree: String, usagePeriodSeconds: Int = 1) throws {
        let file = Self.fixtures.appending(path: "umockdev/\(tree).umockdev")
        guard FileManager.default.fileExists(atPath: file.path) else { throw TestSupportError("no device tree \(file.path)") }
        holder = Process()
        holder.executableURL = URL(filePath: "/usr/bin/umockdev-run")
        holder.arguments = ["-d", file.path, "--", "/bin/sh", "-c", #"printf '%s\n%s\n' "$UMOCKDEV_DIR" "$LD_PRELOAD"; read _"#]
        let output = Pipe()
        input = Pipe()
        holder.standardOutput = output
        holder.standardInput = input
        try holder.run()
        var text = ""
        while text.filter({ $0 == "\n" }).count < 2 {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { throw TestSupportError("umockdev-run \(tree) ended: \(text)") }
            text += String(decoding: data, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map(String.init)
        environment = [
            "UMOCKDEV_DIR": lines[0], "LD_PRELOAD": lines[1], "ALSA_CONFIG_PATH": try Self.alsaConfig.get(),
            "CLASSROOMD_USAGE_PERIOD_SECONDS": "\(usagePeriodSeconds)",
        ]
    }

    /// Ends the holder; umockdev removes the testbed.
    public func stop() {
        try? input.fileHandleForWriting.close()
        holder.waitUntilExit()
    }

    deinit { if holder.isRunning { stop() } }
}
