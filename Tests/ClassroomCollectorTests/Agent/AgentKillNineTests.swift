import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd` killed with SIGKILL at random moments while it produces events and uploads them
/// to the real collector (SQLite), which is itself restarted halfway: every sequence number the agent's
/// outbox assigned is in the collector's store exactly once.
@Suite(.serialized) struct AgentKillNineTests {
    @Test func hundredKillNineCyclesAgainstTheRealCollectorLoseAndDuplicateNothing() async throws {
        let dir = try TestProcess.temporaryDirectory("agent-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        var collector = try await RunningCollector.start(in: dir)
        defer { collector.stop() }
        let agent = try #require(try EnrolledAgent.enroll(["S00001-R001"], on: collector, in: dir).first)
        try agent.configure(heartbeatSeconds: 0.01)
        var rng = SystemRandomNumberGenerator()
        var killed = 0
        for cycle in 0..<100 {
            if cycle == 50 {
                // A collector restart on the same database (a new port): the agent follows its config.
                collector.stop()
                collector = try await RunningCollector.start(in: dir, database: collector.database)
                try agent.configure(heartbeatSeconds: 0.01, collectorBase: collector.base)
            }
            let daemon = try agent.daemon.start()
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...250, using: &rng)))
            let exited = await ClassroomdProcess.stop(daemon, signal: SIGKILL)
            #expect(exited)
            if exited, daemon.terminationReason == .uncaughtSignal, daemon.terminationStatus == SIGKILL { killed += 1 }
        }
        #expect(killed == 100, "every cycle ended by SIGKILL, not by the daemon stopping on its own")

        // A last, calm run drains the backlog.
        let storedAfterKills = try Int(#require(try agent.query("SELECT count(*) FROM events").first?.first)) ?? -1
        try agent.configure(heartbeatSeconds: 3600, collectorBase: collector.base)
        let daemon = try agent.daemon.start()
        let deviceID = try #require(try agent.daemon.status().device_id)
        let drained = try await ClassroomdProcess.eventually(60) {
            let status = try agent.daemon.status()
            let stored = try agent.query("SELECT count(*) FROM events WHERE device_id = '\(deviceID)'")
            return status.queue_depth == 0 && Int64(stored.first?.first ?? "") == status.last_sequence
        }
        let afterDrain = try agent.daemon.status()
        #expect(drained, "the outbox did not drain: \(afterDrain) \(agent.daemon.log.suffix(2000))")
        #expect(await ClassroomdProcess.stop(daemon, signal: SIGTERM))

        let status = try agent.daemon.status()
        let last = try #require(status.last_sequence)
        let rows = try agent.query("SELECT seq FROM events WHERE device_id = '\(deviceID)' ORDER BY seq")
        let seqs = rows.compactMap { $0.first.flatMap { Int64($0) } }
        let firstQueued = last - Int64(status.queue_depth) + 1
        #expect(seqs.count == Set(seqs).count, "no sequence number stored twice")
        #expect(seqs.allSatisfy { (1...last).contains($0) }, "nothing the agent did not assign")
        #expect(
            Set(seqs).isSuperset(of: 1..<firstQueued),
            "nothing lost: \(Set(1..<firstQueued).subtracting(seqs).sorted().prefix(20))")
        #expect(storedAfterKills > 100, "the killed runs themselves delivered events: \(storedAfterKills)")
        let kinds = try agent.query("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind")
        #expect(kinds.contains { $0.first == "heartbeat" }, "\(kinds)")
    }
}
