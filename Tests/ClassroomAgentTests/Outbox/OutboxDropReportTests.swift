import ClassroomAgent
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

/// The `usage_dropped` report of a full outbox across a crash: a report that may have reached the
/// collector is never changed afterwards (the collector keeps the first copy of each sequence number and
/// acknowledges a re-send as a duplicate without reading it), so every usage minute the collector never
/// receives is counted by a report it does receive.
@Suite struct OutboxDropReportTests {
    @Test func aReportSentBeforeACrashIsNotMergedIntoAfterTheRestart() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox-drops")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "outbox.db").path
        // What the collector holds: the first copy of each sequence number.
        var collector: [Int64: AgentEvent] = [:]
        do {
            let outbox = try Outbox(path: path, maximumBytes: 8_000, logger: OutboxTests.logger)
            for i in 0..<200 { try await outbox.append(OutboxTests.minute(i)) }
            let pending = try await outbox.pending(limit: 5000)
            let report = try #require(pending.firstIndex { $0.body.kind == "usage_dropped" })
            // The uploader sent everything up to and including the report; the collector stored it; the
            // agent was killed before it recorded the acknowledgement.
            for e in pending[...report] { collector[e.seq] = e }
        }
        let reopened = try Outbox(path: path, maximumBytes: 8_000, logger: OutboxTests.logger)
        for i in 200..<400 { try await reopened.append(OutboxTests.minute(i)) }
        while case let batch = try await reopened.pending(limit: 1000), let last = batch.last {
            for e in batch {
                if let first = collector[e.seq] {
                    #expect(first == e, "seq \(e.seq) changed after it may have reached the collector")
                } else {
                    collector[e.seq] = e
                }
            }
            try await reopened.acknowledge(through: last.seq)
        }
        let delivered = Set(
            collector.values.compactMap { e -> Int64? in
                if case .usageMinute(let m) = e.body { return m.minuteStart }
                return nil
            })
        let reported = collector.values.reduce(Int64(0)) { total, e in
            if case .usageDropped(let d) = e.body { return total + d.count }
            return total
        }
        #expect(400 - Int64(delivered.count) <= reported, "minutes neither delivered nor reported as dropped")
        #expect(delivered.contains(399 * 60_000), "the newest minute is kept")
    }
}
