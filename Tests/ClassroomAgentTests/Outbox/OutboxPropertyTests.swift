import ClassroomAgent
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Testing

/// Random sequences of append / send / acknowledge / lost answer / crash-restart keep exactly-once
/// delivery into a collector-like store that keeps `(seq)` once.
@Suite struct OutboxPropertyTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func exactlyOnceUnderRandomCrashes(seed: UInt64) async throws {
        let dir = try TestProcess.temporaryDirectory("outbox-prop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "outbox.db").path
        var rng = SeededGenerator(seed: seed)
        var outbox: Outbox? = try Outbox(path: path, logger: Logger(label: "test"))
        var appended: Set<Int64> = []
        var stored: [Int64: AgentEvent] = [:]
        for step in 0..<300 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                let seq = try await outbox!.append(
                    .heartbeat(Heartbeat(agentVersion: "t", uptimeSeconds: Int64(step), queueDepth: 0, droppedUsageTotal: 0)))
                #expect(!appended.contains(seq))
                appended.insert(seq)
            case 5..<8:
                let batch = try await outbox!.pending(limit: Int.random(in: 1...20, using: &rng))
                for e in batch where stored[e.seq] == nil { stored[e.seq] = e }
                // The answer may be lost: then the agent re-sends later (the store keeps each once).
                if let last = batch.last, Bool.random(using: &rng) { try await outbox!.acknowledge(through: last.seq) }
            default:
                outbox = nil  // crash: the actor and its connection go away without any shutdown step
                outbox = try Outbox(path: path, logger: Logger(label: "test"))
            }
        }
        while case let batch = try await outbox!.pending(), let last = batch.last {
            for e in batch where stored[e.seq] == nil { stored[e.seq] = e }
            try await outbox!.acknowledge(through: last.seq)
        }
        #expect(Set(stored.keys) == appended, "nothing lost, nothing invented")
        #expect(try await outbox!.pending().isEmpty)
    }
}
