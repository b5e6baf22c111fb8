import ClassroomAgent
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Synchronization
import Testing

/// The usage tracker turns signals into one usage minute per (shortened) minute, plus inventory events.
@Suite struct UsageTrackerTests {
    final class FakeSignals: DisplaySignal, TouchSignal, SpeechSignal, InventorySource, @unchecked Sendable {
        let touches = Mutex(0)
        let (stream, continuation) = AsyncStream.makeStream(of: InventoryChange.self)
        let inventory = HardwareInventory(
            microphones: [
                AudioEndpoint(
                    id: "pci-0000:00:1f.3-0", card: 0, device: 0, name: "Mic", pcm: "hw:0,0", devnode: "/dev/snd/pcmC0D0c")
            ])

        func displayIsOn() async -> Bool { true }
        func takeTouchCount() async -> Int {
            touches.withLock { n in
                defer { n = 0 }
                return n
            }
        }
        func takeSpeechSummary() async -> SpeechSummary? {
            SpeechSummary(speechSeconds: 0.2, meanDBFS: -35, peakDBFS: -6, clippingRatio: 0.01)
        }
        func snapshot() async throws -> HardwareInventory { inventory }
        func changes() -> AsyncStream<InventoryChange> { stream }
    }

    @Test func oneMinutePerIntervalWithTheSignalsFigures() async throws {
        let dir = try TestProcess.temporaryDirectory("usage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Outbox(path: dir.appending(path: "o.db").path, logger: Logger(label: "test"))
        let signals = FakeSignals()
        let hardware = AgentHardware(display: signals, touch: signals, speech: signals, inventory: signals)
        let tracker = UsageTracker(outbox: outbox, hardware: hardware, logger: Logger(label: "test"), minuteMillis: 200)
        let task = Task { try await tracker.run() }
        // Touches are counted from the first minute on (the tracker restarts the counters when it starts).
        for _ in 0..<100 where try await outbox.pending().filter({ $0.body.kind == "usage_minute" }).isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        signals.touches.withLock { $0 = 7 }
        signals.continuation.yield(
            InventoryChange(action: .remove, deviceKind: "microphone", deviceID: "pci-0000:00:1f.3-0", inventory: .empty))
        var events: [AgentEvent] = []
        for _ in 0..<100 {
            events = try await outbox.pending()
            if events.filter({ $0.body.kind == "usage_minute" }).count >= 4 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        _ = await task.result
        let minutes = events.compactMap { e -> UsageMinute? in
            if case .usageMinute(let m) = e.body { return m }
            return nil
        }
        #expect(minutes.count >= 3)
        #expect(Set(minutes.map(\.minuteStart)).count == minutes.count, "one record per minute")
        #expect(minutes.allSatisfy { $0.minuteStart % 200 == 0 && $0.displayOn && $0.meanDBFS == -35 })
        #expect(minutes.map(\.touchEvents).reduce(0, +) == 7, "touch counts are not lost or counted twice")
        #expect(minutes.first?.devicesPresent.microphones == 1)
        #expect(events.first?.body == .inventorySnapshot(signals.inventory))
        #expect(events.contains { $0.body.kind == "inventory_change" })
    }

    @Test func withoutSignalsNoMinutesAreInvented() async throws {
        let dir = try TestProcess.temporaryDirectory("usage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Outbox(path: dir.appending(path: "o.db").path, logger: Logger(label: "test"))
        let tracker = UsageTracker(outbox: outbox, hardware: AgentHardware(), logger: Logger(label: "test"), minuteMillis: 50)
        #expect(AgentHardware().metersUsage == false)
        let task = Task { try await tracker.run() }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        _ = await task.result
        #expect(try await outbox.pending().isEmpty)
    }
}
