import ClassroomCore
import Testing

@testable import ClassroomCollector

/// The coverage report's store query, on both stores.
@Suite("CollectorStore conformance: coverage evidence")
struct StoreCoverageConformanceTests {
    static func event(_ device: String, _ seq: Int64, _ kind: String, at: Int64) -> StoredEvent {
        StoredEvent(deviceID: device, seq: seq, kind: kind, agentAt: at - 5, at: at, receivedAt: at + 1, body: "{\"n\":\(seq)}")
    }

    @Test("events by kinds and window: bounds inclusive, other kinds and times left out, ordered", arguments: StoreKind.allCases)
    func eventsInWindow(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.appendEvents([
                Self.event("d2", 1, "usage_minute", at: 150),
                Self.event("d1", 1, "heartbeat", at: 100),
                Self.event("d1", 2, "usage_minute", at: 200),
                Self.event("d1", 3, "inventory_snapshot", at: 99),
                Self.event("d1", 4, "command_result", at: 150),
                Self.event("d1", 5, "usage_minute", at: 201),
                Self.event("d1", 6, "inventory_change", at: 120),
            ])
            let got = try await store.events(kinds: ["usage_minute", "heartbeat", "inventory_change"], from: 100, through: 200)
            #expect(got.map { "\($0.deviceID)#\($0.seq)" } == ["d1#1", "d1#6", "d1#2", "d2#1"])
            let first = try #require(got.first)
            #expect(first.agentAt == 95)
            #expect(first.receivedAt == 101)
            #expect(first.body == "{\"n\":1}")
            #expect(try await store.events(kinds: ["inventory_snapshot"], from: 100, through: 200).isEmpty)
            #expect(try await store.events(kinds: [], from: 0, through: 1_000).isEmpty)
            #expect(try await store.events(kinds: ["usage_minute"], from: 300, through: 200).isEmpty)
        }
    }
}
