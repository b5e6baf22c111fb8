import ClassroomCore
import ClassroomReports
import ClassroomTestSupport
import Foundation
import Testing

/// Every content page in headless Chromium against the real `classroom-collector serve` with the
/// sample county imported and two real `classroomd` agents enrolled: no console error, no failed
/// request, no error status, the overview's figures equal to `/api/v1`'s, and a screenshot of each
/// page in zh-CN and English under the test output (`console-pages/`).
@Suite(.serialized) struct ConsolePagesBrowserTests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Enrolls `rooms` with real agents that upload once (heartbeat, inventory of this machine) and stop.
    static func agents(_ collector: RunningCollector, rooms: [String], in dir: URL) async throws {
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": collector.adminToken]
        let made = try TestProcess.run(
            ctl, ["enroll-token", "create", "--collector", collector.base, "--school", "S00001", "--uses", "\(rooms.count)"],
            environment: env)
        let token = try #require(
            made.stdout.split(whereSeparator: { $0.isWhitespace }).first { $0.hasPrefix("cfe_") }.map(String.init),
            "\(made.stdout)\(made.stderr)")
        let classroomd = try TestProcess.product("classroomd")
        for room in rooms {
            let state = dir.appending(path: "agent-\(room)")
            let config = state.path + ".toml"
            try "state_directory = \"\(state.path)\"\nheartbeat_seconds = 0.2\nfirst_connect_jitter_seconds = 0\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            let enrolled = try TestProcess.run(
                classroomd, ["enroll", "--collector", collector.base, "--token", token, "--config", config, "--room", room])
            #expect(enrolled.status == 0, "\(enrolled.stderr)")
            let daemon = Process()
            daemon.executableURL = classroomd
            daemon.arguments = ["run", "--config", config]
            daemon.standardOutput = FileHandle.nullDevice
            daemon.standardError = FileHandle.nullDevice
            try daemon.run()
            for _ in 0..<100 {
                try await Task.sleep(for: .milliseconds(100))
                let status = try TestProcess.run(classroomd, ["status", "--json", "--config", config]).stdout
                if status.contains("\"last_upload_at\"") && status.contains("\"queue_depth\":0") { break }
            }
            kill(daemon.processIdentifier, SIGTERM)
            daemon.waitUntilExit()
        }
    }

    @Test func everyPageLoadsCleanlyShowsTheAPIFiguresAndIsPhotographed() async throws {
        let dir = try TestProcess.temporaryDirectory("console-pages")
        defer { try? FileManager.default.removeItem(at: dir) }
        let profiles = Self.repository.appending(path: "Deploy/profiles").path
        let collector = try await RunningCollector.start(in: dir, serveArguments: ["--profiles-dir", profiles])
        defer { collector.stop() }
        let ctl = try TestProcess.product("classroomctl")
        let imported = try TestProcess.run(
            ctl,
            [
                "registry", "import", Self.repository.appending(path: "Deploy/examples/county").path, "--collector",
                collector.base,
            ],
            environment: ["CLASSROOM_TOKEN": collector.adminToken])
        #expect(imported.status == 0, "\(imported.stderr)")
        try await Self.agents(collector, rooms: ["S00001-R001", "S00001-R002"], in: dir)

        let (_, devices) = try await collector.call("GET", "/api/v1/devices")
        let list = try #require(devices["devices"] as? [[String: Any]])
        let deviceID = try #require(list.first?["id"] as? String)
        let (status, coverage) = try await collector.call("GET", "/api/v1/coverage?profile=luxi-2025")
        #expect(status == 200)
        let data = try JSONSerialization.data(withJSONObject: coverage)
        let report = try JSONDecoder().decode(CoverageReport.self, from: data)
        let expected = report.county.indicators.filter { $0.target != nil }.map { CoverageLabels(lang: .zh).value(of: $0) }

        let shots = try TestOutput.directory("console-pages")
        let pages = [
            ("overview", "/?profile=luxi-2025"), ("schools", "/schools"), ("school", "/schools/S00001"), ("devices", "/devices"),
            ("device", "/devices/\(deviceID)"), ("spotchecks", "/spotchecks"),
        ]
        var steps: [BrowserStep] = [
            .open(collector.base + "/login"), .fill("#token", collector.adminToken), .submit("#login-token"),
        ]
        for lang in ["zh", "en"] {
            for (name, path) in pages {
                let separator = path.contains("?") ? "&" : "?"
                steps.append(.open(collector.base + path + separator + "lang=" + (lang == "zh" ? "zh-CN" : "en")))
                steps.append(.screenshot(shots.appending(path: "\(name)-\(lang).png")))
            }
        }
        steps.append(.open(collector.base + "/?profile=luxi-2025&lang=zh-CN"))
        steps.append(.text("#devices-total"))
        steps.append(.texts("#indicators td[data-figure=value]"))
        let run = try await ConsoleBrowser().run(steps)
        #expect(run.consoleErrors.isEmpty, "\(run.consoleErrors)")
        #expect(run.failedRequests.isEmpty, "\(run.failedRequests)")
        #expect(run.errorResponses.isEmpty, "\(run.errorResponses)")
        let n = steps.count
        #expect(run.string(n - 2) == String(list.count))
        #expect(run.strings(n - 1) == expected)
        for lang in ["zh", "en"] {
            for (name, _) in pages {
                let png = try Data(contentsOf: shots.appending(path: "\(name)-\(lang).png"))
                #expect(png.count > 20_000, "\(name)-\(lang).png looks blank")
            }
        }
    }
}
