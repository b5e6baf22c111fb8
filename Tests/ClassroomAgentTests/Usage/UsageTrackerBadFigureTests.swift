import ClassroomAgent
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Synchronization
import Testing

/// A figure from a device that cannot be encoded (NaN) costs that one minute, never the minutes after it.
@Suite struct UsageTrackerBadFigureTests {
    final class NaNOnceSpeech: SpeechSignal, @unchecked Sendable {
        let calls = Mutex(0)
        func takeSpeechSummary() async -> SpeechSummary? {
            // Call 0 resets the counters at start; call 1 is the first minute.
            let n = calls.withLock { n in
                defer { n += 1 }
                return n
            }
            return SpeechSummary(speechSeconds: 1, meanDBFS: n == 1 ? .nan : -30, peakDBFS: -6, clippingRatio: 0)
        }
    }

    @Test func anUnencodableMinuteIsDroppedAndLaterMinutesAreWritten() async throws {
        let dir = try TestProcess.temporaryDirectory("usage-nan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Outbox(path: dir.appending(path: "o.db").path, logger: Logger(label: "test"))
        let speech = NaNOnceSpeech()
        let tracker = UsageTracker(
            outbox: outbox, hardware: AgentHardware(speech: speech), logger: Logger(label: "test"), minuteMillis: 100)
        let task = Task { try await tracker.run() }
        let written = try await ClassroomdProcess.eventually(90) {
            try await outbox.pending().filter { $0.body.kind == "usage_minute" }.count >= 3
        }
        task.cancel()
        _ = await task.result
        #expect(written, "minutes after the unencodable one are written")
        #expect(speech.calls.withLock { $0 } >= 4)
        let minutes = try await outbox.pending().compactMap { e -> UsageMinute? in
            if case .usageMinute(let m) = e.body { return m }
            return nil
        }
        #expect(minutes.allSatisfy { $0.meanDBFS == -30 })
        #expect(Set(minutes.map(\.minuteStart)).count == minutes.count, "no minute written twice")
    }
}
