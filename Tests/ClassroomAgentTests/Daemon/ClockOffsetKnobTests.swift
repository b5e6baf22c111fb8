import ClassroomTestSupport
import Foundation
import Testing

/// `CLASSROOMD_CLOCK_OFFSET_SECONDS` (the test knob that shifts the agent's wall clock): anything but a
/// whole number of seconds within two days stops `classroomd run` with exit status 78 and says why.
@Suite struct ClockOffsetKnobTests {
    @Test(arguments: ["172801", "-172801", "1.5", "tomorrow", ""])
    func aBadOffsetIsAConfigError(value: String) async throws {
        let agent = try AgentUnderTest(collector: nil, label: "clock-offset")
        defer { agent.remove() }
        let daemon = try agent.start(environment: ["CLASSROOMD_CLOCK_OFFSET_SECONDS": value])
        #expect(await AgentUnderTest.eventually(20) { !daemon.isRunning })
        #expect(daemon.terminationStatus == 78)
        #expect(agent.log.contains("CLASSROOMD_CLOCK_OFFSET_SECONDS=\(value) must be a whole number of seconds"), "\(agent.log)")
    }

    @Test func anOffsetWithinTwoDaysIsAcceptedAndLogged() async throws {
        let agent = try AgentUnderTest(collector: nil, label: "clock-offset")
        defer { agent.remove() }
        let daemon = try agent.start(environment: ["CLASSROOMD_CLOCK_OFFSET_SECONDS": "-172800"])
        // Stopped once ready (its SIGTERM handler is installed by then).
        let ready = await AgentUnderTest.eventually(20) { agent.log.contains("ready") }
        #expect(ready, "\(agent.log)")
        #expect(agent.log.contains("the agent's wall clock is offset seconds=-172800"), "\(agent.log)")
        #expect(daemon.isRunning)
        #expect(await AgentUnderTest.stop(daemon))
        #expect(daemon.terminationStatus == 0)
    }
}
