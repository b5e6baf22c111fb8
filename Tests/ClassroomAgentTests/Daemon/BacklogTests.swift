import ClassroomAgent
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Testing

extension DeliveryTests {
    /// VmRSS of a process in KiB (from /proc/PID/status).
    static func residentKiB(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) }
    }

    /// A week of usage minutes queued while the collector was away drains in bounded batches and memory.
    @Test func aWeekOfBacklogDrainsInBoundedBatches() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: "heartbeat_seconds = 3600\n")
        defer { agent.remove() }
        #expect(try agent.enroll(collector).status == 0)
        let week = 7 * 24 * 60
        do {
            let outbox = try Outbox(path: agent.stateDirectory + "/outbox.db", logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<week {
                    let minute = UsageMinute(
                        minuteStart: 1_700_000_000_000 + Int64(i) * 60_000, displayOn: i % 3 == 0, touchEvents: i % 50,
                        speechSeconds: Double(i % 60), meanDBFS: -40, peakDBFS: -12, clippingRatio: 0,
                        devicesPresent: DevicesPresent(microphones: 1, displays: 1))
                    group.addTask { try await outbox.append(.usageMinute(minute), at: minute.minuteStart) }
                }
                try await group.waitForAll()
            }
            #expect(await outbox.depth.count == week)
        }
        let daemon = try agent.start()
        var peakKiB = 0
        // Alone it drains in about 2 s; beside the other suites on 2 cores the in-process fake collector
        // waits for the cooperative pool, and a fresh-clone CI run took longer than the 90 s given before.
        let drained = try await AgentUnderTest.eventually(300) {
            peakKiB = max(peakKiB, Self.residentKiB(daemon.processIdentifier) ?? 0)
            return try await collector.state().devices["dev-1"]?.kinds["usage_minute"] ?? 0 == week
        }
        #expect(drained, "\(agent.log)")
        try await expectExactlyOnce(agent, collector, stopping: daemon)
        let state = try await collector.state().devices["dev-1"]!
        #expect(state.max_batch <= EventBatch.maximumEvents)
        #expect(state.batches >= week / EventBatch.maximumEvents)
        #expect(peakKiB > 0 && peakKiB < 64 * 1024, "peak RSS \(peakKiB) KiB while draining")
    }
}
