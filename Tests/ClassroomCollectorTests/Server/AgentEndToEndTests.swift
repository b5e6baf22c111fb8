import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd` against the real collector: enrollment (with its use limit), delivery, online.
@Suite struct AgentEndToEndTests {
    static let county = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/examples/county")

    @Test func classroomdEnrollsDeliversAndShowsOnline() async throws {
        let dir = try TestProcess.temporaryDirectory("agent-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let collector = try await RunningCollector.start(in: dir)
        defer { collector.stop() }
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": collector.adminToken]
        let imported = try TestProcess.run(
            ctl, ["registry", "import", Self.county.path, "--collector", collector.base], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        let token = try TestProcess.run(
            ctl, ["enroll-token", "create", "--collector", collector.base, "--school", "S00001", "--uses", "1"], environment: env)
        let enrollToken = try #require(
            token.stdout.split(whereSeparator: { $0.isWhitespace }).first { $0.hasPrefix("cfe_") }.map(String.init),
            "\(token.stdout)\(token.stderr)")

        let config = dir.appending(path: "classroomd.toml").path
        try
            "state_directory = \"\(dir.appending(path: "state").path)\"\nheartbeat_seconds = 0.2\nfirst_connect_jitter_seconds = 0\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let classroomd = try TestProcess.product("classroomd")
        let enroll = ["enroll", "--collector", collector.base, "--token", enrollToken, "--config", config]
        let enrolled = try TestProcess.run(classroomd, enroll + ["--room", "S00001-R001"])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        let again = try TestProcess.run(classroomd, enroll + ["--room", "S00001-R002"])
        #expect(again.status == 1 && again.stderr.contains("enrollment refused"), "\(again.stderr)")

        let daemon = Process()
        daemon.executableURL = classroomd
        daemon.arguments = ["run", "--config", config]
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        var status = ""
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(100))
            status = try TestProcess.run(classroomd, ["status", "--json", "--config", config]).stdout
            if status.contains("\"last_upload_at\"") && status.contains("\"queue_depth\":0") { break }
        }
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(status.contains("\"last_upload_at\"") && status.contains("\"queue_depth\":0"), "\(status)")
        let devices = try TestProcess.run(ctl, ["devices", "list", "--collector", collector.base], environment: env)
        #expect(devices.stdout.contains("S00001-R001") && devices.stdout.contains("online"), "\(devices.stdout)")
    }
}
