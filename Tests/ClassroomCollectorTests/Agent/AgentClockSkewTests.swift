import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd` on a clock one day fast and one day slow, delivering to the real collector
/// (SQLite): the store keeps the agent's own times and the collector's corrected times, and the corrected
/// ones are the true times.
///
/// The agent's clock is shifted with `CLASSROOMD_CLOCK_OFFSET_SECONDS`, which `AgentClock` adds where the
/// agent reads the wall clock for event times and `sent_at` (libfaketime cannot be used: under its
/// `LD_PRELOAD` a Swift program sees no command-line arguments). What this covers: the collector's skew
/// measurement and correction with a real agent and its real upload path.
@Suite(.serialized) struct AgentClockSkewTests {
    @Test(arguments: [Int64(86_400), Int64(-86_400)])
    func eventsOfASkewedAgentAreStoredAtTheTrueTime(offsetSeconds: Int64) async throws {
        let dir = try TestProcess.temporaryDirectory("agent-skew")
        defer { try? FileManager.default.removeItem(at: dir) }
        let collector = try await RunningCollector.start(in: dir)
        defer { collector.stop() }
        let agent = try #require(try EnrolledAgent.enroll(["S00001-R001"], on: collector, in: dir).first)
        try agent.configure(heartbeatSeconds: 0.2)
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let daemon = try agent.daemon.start(environment: ["CLASSROOMD_CLOCK_OFFSET_SECONDS": "\(offsetSeconds)"])
        let deviceID = try #require(try agent.daemon.status().device_id)
        let delivered = try await ClassroomdProcess.eventually(30) {
            let stored = try agent.query("SELECT count(*) FROM events WHERE device_id = '\(deviceID)'")
            return Int(stored.first?.first ?? "") ?? 0 >= 5
        }
        #expect(delivered, "\(agent.daemon.log.suffix(2000))")
        #expect(await ClassroomdProcess.stop(daemon, signal: SIGTERM))
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(agent.daemon.log.contains("the agent's wall clock is offset"))

        let offset = offsetSeconds * 1000
        // A usage minute is stamped with its start (aligned to the minute) and sent at its end, so an event's
        // time may be up to a minute before the agent started or before it arrived: two minutes of slack,
        // against a skew of a day.
        let slack: Int64 = 120_000
        let events = try agent.query("SELECT seq, agent_at, at, received_at FROM events WHERE device_id = '\(deviceID)'")
        #expect(events.count >= 5)
        for row in events {
            let values = row.compactMap { Int64($0) }
            try #require(values.count == 4, "\(row)")
            let (seq, agentAt, at, receivedAt) = (values[0], values[1], values[2], values[3])
            #expect(abs(agentAt - offset - receivedAt) < slack, "event \(seq): the agent's own time is a day off")
            #expect(at >= before - slack && at <= after + slack, "event \(seq): corrected \(at), true \(before)…\(after)")
            #expect(abs(at - receivedAt) < slack, "event \(seq)")
        }
        let skew = try #require(
            Int64(try agent.query("SELECT clock_skew_ms FROM devices WHERE id = '\(deviceID)'").first?.first ?? ""))
        #expect(abs(skew + offset) < 60_000, "the collector measured collector − agent = \(skew) ms")
        #expect(abs((try agent.daemon.status().clock_skew_ms ?? 0) + offset) < 60_000, "the agent shows the skew it was told")
    }
}
