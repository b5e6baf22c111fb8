import ClassroomTestSupport
import Foundation
import Testing

/// Delivery through the real `classroomd` to a real HTTP peer: kill -9, network cuts, commands, enrollment.
@Suite(.serialized) struct DeliveryTests {
    /// Waits until the outbox is drained, stops `daemon`, then checks that every sequence number the
    /// agent assigned reached the collector once — except the newest ones still queued at the stop —
    /// and nothing else did.
    func expectExactlyOnce(_ agent: AgentUnderTest, _ collector: FakeCollector, stopping daemon: Process) async throws {
        let drained = try await AgentUnderTest.eventually(60) {
            let status = try agent.status()
            let seqs = try await collector.state().devices["dev-1"]?.seqs ?? []
            return status.queue_depth == 0 && Int64(seqs.count) == status.last_sequence
        }
        let current = try agent.status()
        #expect(drained, "the outbox did not drain: \(current)")
        #expect(await AgentUnderTest.stop(daemon))
        let status = try agent.status()
        let seqs = try await collector.state().devices["dev-1"]!.seqs
        let last = try #require(status.last_sequence)
        let firstQueued = last - Int64(status.queue_depth) + 1
        #expect(Set(seqs).count == seqs.count)
        #expect(seqs.allSatisfy { $0 >= 1 && $0 <= last }, "nothing invented")
        #expect(Set(seqs).isSuperset(of: 1..<firstQueued), "nothing lost: every unqueued event was delivered")
    }

    @Test func killNineAtRandomMomentsLosesAndDuplicatesNothing() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: "heartbeat_seconds = 0.01\n")
        defer { agent.remove() }
        #expect(try agent.enroll(collector).status == 0)
        var rng = SystemRandomNumberGenerator()
        for cycle in 0..<100 {
            if cycle % 10 == 3 { try await collector.fail("drop", count: 1) }
            if cycle % 10 == 7 { try await collector.fail("500", count: 1) }
            let daemon = try agent.start()
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...250, using: &rng)))
            #expect(await AgentUnderTest.stop(daemon, signal: SIGKILL))
        }
        // A last, calm run drains the backlog.
        try
            (String(contentsOfFile: agent.configPath, encoding: .utf8).replacingOccurrences(
                of: "heartbeat_seconds = 0.01", with: "heartbeat_seconds = 3600")).write(
                toFile: agent.configPath, atomically: true, encoding: .utf8)
        let daemon = try agent.start()
        try await expectExactlyOnce(agent, collector, stopping: daemon)
        let state = try await collector.state().devices["dev-1"]!
        #expect(state.seqs.count > 100, "the cycles produced events: \(state.seqs.count)")
    }

    @Test func networkCutsBackOffThenDeliver() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: "heartbeat_seconds = 0.05\n")
        defer { agent.remove() }
        #expect(try agent.enroll(collector).status == 0)
        try await collector.fail("drop", count: 3)
        try await collector.fail("500", count: 2)
        try await collector.fail("429", count: 1, extra: ["retry_after": 1])
        try await collector.fail("503", count: 1)
        let daemon = try agent.start()
        let through = try await AgentUnderTest.eventually {
            (try await collector.state().devices["dev-1"]?.seqs.count ?? 0) >= 20
        }
        #expect(through, "\(agent.log)")
        #expect(await AgentUnderTest.stop(daemon))
        let log = agent.log
        #expect(log.contains("upload failed, backing off"))
        #expect(log.contains("collector is busy, retrying later") && log.contains("retry_in_s=1.0"), "Retry-After honoured")
        #expect(try agent.status().last_error?.contains("HTTP 500") == true || log.contains("HTTP 500"))
        let restarted = try agent.start()
        try await expectExactlyOnce(agent, collector, stopping: restarted)
        let state = try await collector.state().devices["dev-1"]!
        #expect(state.user_agent.hasPrefix("classroomd/"))
        // Same clock on both sides here: the skew the collector measured is small and recorded.
        #expect(abs(try #require(try agent.status().clock_skew_ms)) < 60_000)
        #expect(abs(try #require(state.last_corrected_at) - (state.last_raw_at ?? 0)) < 60_000)
    }

    @Test func commandsArePersistedAcknowledgedAndActedOnOnce() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: "heartbeat_seconds = 3600\n")
        defer { agent.remove() }
        #expect(try agent.enroll(collector).status == 0)
        try await collector.queueCommand(device: "dev-1", id: "cmd-1", kind: "inventory_refresh")
        try await collector.queueCommand(device: "dev-1", id: "cmd-2", kind: "chime")
        var daemon = try agent.start()
        let acted = try await AgentUnderTest.eventually {
            try await collector.state().devices["dev-1"]?.kinds["command_result"] ?? 0 >= 2
        }
        #expect(acted, "\(agent.log)")
        #expect(Set(try await collector.state().devices["dev-1"]!.acked_commands).isSuperset(of: ["cmd-1", "cmd-2"]))
        #expect(await AgentUnderTest.stop(daemon))
        // The collector repeats an acknowledged command (lost ack): it is not acted on again.
        try await collector.queueCommand(device: "dev-1", id: "cmd-1", kind: "inventory_refresh")
        daemon = try agent.start()
        let reacked = try await AgentUnderTest.eventually {
            try await collector.state().devices["dev-1"]!.acked_commands.filter { $0 == "cmd-1" }.count >= 2
        }
        #expect(reacked)
        try await expectExactlyOnce(agent, collector, stopping: daemon)
        let kinds = try await collector.state().devices["dev-1"]!.kinds
        #expect(kinds["command_result"] == 2)
        // libudev inventory (LinuxHardware): one snapshot per start plus one for the refresh command.
        #expect(kinds["inventory_snapshot"] == 3, "\(kinds)")
    }

    @Test func enrollmentStoresAPrivateKeyAndATokenBeyondItsLimitIsRefused() async throws {
        let collector = try FakeCollector(
            directory: try TestProcess.temporaryDirectory("collector"), tokens: ["cfe_once:school-9:1"])
        let first = try AgentUnderTest(collector: nil)
        defer { first.remove() }
        let ok = try first.enroll(collector, token: "cfe_once", room: "room-3")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("Enrolled as dev-1 (school school-9, room room-3)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: first.stateDirectory + "/device.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        #expect(try first.status().enrolled)

        let second = try AgentUnderTest(collector: nil)
        defer { second.remove() }
        let refused = try second.enroll(collector, token: "cfe_once", room: "room-4")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("enrollment refused") && refused.stderr.contains("use limit"), "\(refused.stderr)")
        #expect(try second.status().enrolled == false)
        let unknown = try second.enroll(collector, token: "cfe_wrong", room: "room-4")
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown enrollment token"))
    }
}
