import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd run`: systemd notifications, reload, stop, config and state-directory errors.
@Suite(.serialized) struct DaemonLifecycleTests {
    @Test func notifiesReadyWatchdogReloadingAndStopping() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: "heartbeat_seconds = 0.5\n")
        defer { agent.remove() }
        #expect(try agent.enroll(collector).status == 0)
        let socket = try NotifyReceiver(directory: agent.directory, timeout: .milliseconds(200))
        let daemon = try agent.start(environment: [
            "NOTIFY_SOCKET": socket.address, "WATCHDOG_USEC": "400000", "JOURNAL_STREAM": "8:12345",
        ])
        let untilReady = socket.collect(until: "READY=1")
        #expect(untilReady.last?.hasPrefix("READY=1\nSTATUS=") == true, "\(untilReady) \(agent.log)")
        #expect(socket.collect(until: "WATCHDOG=1").last == "WATCHDOG=1")

        // SIGHUP with a changed (valid) config: RELOADING=1, then READY=1 again.
        try (String(contentsOfFile: agent.configPath, encoding: .utf8) + "log_level = \"debug\"\n")
            .write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        let reload = socket.collect(until: "READY=1").filter { !$0.hasPrefix("WATCHDOG") }
        #expect(reload.first?.hasPrefix("RELOADING=1") == true, "\(reload)")
        #expect(reload.last?.hasPrefix("READY=1") == true, "\(reload)")
        let debugLogged = await AgentUnderTest.eventually(10) { agent.log.contains("<7>uploaded") }
        #expect(debugLogged, "log_level = debug took effect on reload")

        // SIGHUP with a broken config keeps the old one and says so.
        try "heartbeat_seconds = \"x\"\n".write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(socket.collect(until: "READY=1").last?.hasPrefix("READY=1") == true)

        #expect(await AgentUnderTest.stop(daemon, seconds: 5), "SIGTERM stops within 5 s")
        #expect(daemon.terminationStatus == 0)
        #expect(socket.collect(until: "STOPPING=1").last == "STOPPING=1")
        let log = agent.log
        #expect(log.contains("<6>ready"), "journald priority prefixes: \(log)")
        #expect(log.contains("<5>configuration reloaded"))
        #expect(log.contains("<3>configuration not reloaded") && log.contains(":1: heartbeat_seconds: expected a number"))
        #expect(try await collector.state().devices["dev-1"]?.kinds["heartbeat"] ?? 0 >= 1)
    }

    @Test func configErrorExitsWithFileLineAndKey() throws {
        let agent = try AgentUnderTest(collector: "http://127.0.0.1:9", extra: "heartbeat_seconds = \"fast\"\n")
        defer { agent.remove() }
        let out = try agent.classroomd(["run", "--config", agent.configPath])
        #expect(out.status == 78)
        #expect(out.stderr.contains("\(agent.configPath):7: heartbeat_seconds: expected a number, found string"), "\(out.stderr)")
        let status = try agent.classroomd(["status", "--config", agent.directory.appending(path: "missing.toml").path])
        #expect(status.status == 64)
        #expect(status.stderr.contains("missing.toml:0: cannot read the config file"), "\(status.stderr)")
    }

    @Test func unwritableStateDirectoryIsAClearErrorNotACrash() throws {
        let dir = try TestProcess.temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocker = dir.appending(path: "file")
        try Data("x".utf8).write(to: blocker)
        let agent = try AgentUnderTest(collector: nil, extra: "")
        defer { agent.remove() }
        let text = "state_directory = \"\(blocker.path)/state\"\n"
        try text.write(toFile: agent.configPath, atomically: true, encoding: .utf8)
        let out = try agent.classroomd(["run", "--config", agent.configPath])
        #expect(out.status == 73)
        #expect(out.stdout.contains("cannot create the state directory \(blocker.path)/state"), "\(out.stdout)")
    }

    @Test func corruptOutboxIsMovedAsideAndTheDaemonRuns() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: "heartbeat_seconds = 0.2\n")
        defer { agent.remove() }
        #expect(try agent.enroll(collector).status == 0)
        try Data(repeating: 0xA5, count: 16_384).write(to: URL(filePath: agent.stateDirectory + "/outbox.db"))
        let socket = try NotifyReceiver(directory: agent.directory, timeout: .milliseconds(200))
        let daemon = try agent.start(environment: ["NOTIFY_SOCKET": socket.address])
        #expect(socket.collect(until: "READY=1").last?.hasPrefix("READY=1") == true, "\(agent.log)")
        let delivered = try await AgentUnderTest.eventually { try await collector.state().devices["dev-1"]?.seqs.count ?? 0 >= 3 }
        #expect(delivered)
        #expect(await AgentUnderTest.stop(daemon))
        let status = try agent.status()
        let aside = try #require(status.outbox_moved_aside)
        #expect(FileManager.default.fileExists(atPath: aside))
        #expect(agent.log.contains("outbox is corrupt, moving it aside"))
        #expect(try await collector.state().devices["dev-1"]!.seqs.allSatisfy { $0 > 1_000_000_000_000_000 })
    }
}
