import ClassroomCore
import ClassroomWire
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import ClassroomCollector

/// The read model of each order's stream facts (``SpotCheckOrderEventsSchema``): kept at ingest, it
/// must equal what a search of the raw events finds — after ingest in random order with duplicates,
/// and after the migration fills it from events stored before it existed — on both stores.
@Suite("Spot-check order events (read model)")
struct SpotCheckOrderEventsTests {
    static let audit = DeviceDirectoryTests.audit
    static let day: Int64 = 86_400_000
    static let lessonStart: Int64 = 30 * day

    /// Three dispatched orders (d01, d02, e1) and one without a device; each with a command.
    static func orders() -> [SpotCheckOrderRecord] {
        [("o1", "S1", "R1"), ("o2", "S1", "R2"), ("o3", "S2", "R3"), ("o4", "S1", "R1")].enumerated().map { i, o in
            SpotCheckOrderRecord(
                id: o.0, week: "2026-W40", source: "now", position: i, round: 1, teacherID: "T1", teacherName: "张伟",
                schoolID: o.1, roomID: o.2, weekday: 1, startMinute: 480, endMinute: 525, subject: "语文",
                lessonStart: lessonStart + Int64(i) * 3_600_000, lessonEnd: lessonStart + Int64(i) * 3_600_000 + 2_700_000,
                createdAt: 0)
        }
    }

    static let devices = ["o1": "d01", "o2": "d02", "o3": "e1"]

    static func seed(_ store: any CollectorStore) async throws {
        try await DeviceDirectoryTests.seed(store)
        for order in orders() {
            try await store.insertSpotCheckOrder(order, audit: audit)
            let device = devices[order.id]
            _ = try await store.claimSpotCheckDispatch(
                orderID: order.id,
                dispatch: SpotCheckDispatch(
                    deviceID: device, commandID: device.map { _ in "cmd-\(order.id)" }, streamKeyHash: nil,
                    note: device == nil ? "no_device" : "sent"), at: 1)
        }
    }

    static func event(_ device: String, _ seq: Int64, at: Int64, _ body: AgentEventBody) throws -> StoredEvent {
        let json = try JSONEncoder().encode(AgentEvent(seq: seq, at: at, body: body))
        return StoredEvent(
            deviceID: device, seq: seq, kind: body.kind, agentAt: at, at: at, receivedAt: at,
            body: String(decoding: json, as: UTF8.self))
    }

    /// Every device's events: evidence for its own order and for others', command results of the
    /// orders' commands and of other commands, some a day and more before the lesson, inventories.
    static func events(_ rng: inout SeededGenerator, rounds: Int = 1) throws -> [StoredEvent] {
        var all: [StoredEvent] = []
        for device in ["d01", "d02", "d03", "e1"] {
            var seq: Int64 = 0
            for _ in 0..<(24 * rounds) {
                seq += Int64.random(in: 1...3, using: &rng)
                let at = lessonStart + Int64.random(in: -3...2, using: &rng) * day / 2
                let order = ["o1", "o2", "o3", "o4", "o9"].randomElement(using: &rng)!
                let body: AgentEventBody
                switch Int.random(in: 0..<5, using: &rng) {
                case 0, 1:
                    body = .evidence(SignedEvidence(orderID: order, payload: "cGF5bG9hZA==", signature: "c2ln"))
                case 2:
                    body = .commandResult(
                        CommandResult(commandID: "cmd-\(order)", status: Bool.random(using: &rng) ? "failed" : "done"))
                case 3:
                    body = .inventorySnapshot(DeviceDirectoryTests.inventory(cameras: 1, microphones: 1))
                default:
                    body = .heartbeat(Heartbeat(agentVersion: "0.10.0", uptimeSeconds: 1, queueDepth: 0, droppedUsageTotal: 0))
                }
                all.append(try event(device, seq, at: at, body))
            }
        }
        return all
    }

    /// What the results' old search of the raw events found: the order's own device's evidence naming
    /// it and results of its command, from a day before its lesson on, in `seq` order.
    static func searched(_ events: [StoredEvent]) throws -> [String: [StoredEvent]] {
        var answer: [String: [StoredEvent]] = [:]
        let decoder = JSONDecoder()
        for order in orders() {
            guard let device = devices[order.id] else { continue }
            let mine = try events.filter { e in
                guard e.deviceID == device, e.at >= order.lessonStart - day else { return false }
                switch try decoder.decode(AgentEvent.self, from: Data(e.body.utf8)).body {
                case .evidence(let signed): return signed.orderID == order.id
                case .commandResult(let result): return result.commandID == "cmd-\(order.id)"
                default: return false
                }
            }
            if !mine.isEmpty { answer[order.id] = mine.sorted { $0.seq < $1.seq } }
        }
        return answer
    }

    @Test("equal to a search of the raw events after ingest in random order with duplicates", arguments: StoreKind.allCases)
    func randomIngest(kind: StoreKind) async throws {
        // One database (the suites share the machine's PostgreSQL), three rounds of random events.
        let seed: UInt64 = 2026
        try await withStore(kind) { store in
            do {
                try await Self.seed(store)
                var rng = SeededGenerator(seed: seed)
                let events = try Self.events(&rng, rounds: 3)
                // Random batches in random order, a third of them sent twice (an agent retrying).
                var batches: [[StoredEvent]] = []
                var rest = events.shuffled(using: &rng)
                while !rest.isEmpty {
                    let n = min(rest.count, Int.random(in: 1...7, using: &rng))
                    batches.append(Array(rest.prefix(n)))
                    rest.removeFirst(n)
                }
                batches += batches.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
                for batch in batches.shuffled(using: &rng) {
                    // Sorted by device and seq within a batch, as an agent sends them.
                    let sorted = batch.sorted { ($0.deviceID, $0.seq) < ($1.deviceID, $1.seq) }
                    if Bool.random(using: &rng) {
                        _ = try await store.appendEvents(sorted)
                    } else {
                        _ = try await store.ingest(sorted, deviceID: sorted[0].deviceID, at: 5, clockSkewMillis: 0)
                    }
                }
                let expected = try Self.searched(events)
                #expect(!expected.isEmpty)
                let kept = try await store.spotCheckOrderEvents(orderIDs: Self.orders().map(\.id))
                #expect(kept == expected, "seed \(seed)")
                #expect(try await store.spotCheckOrderEvents(orderIDs: []) == [:])
                #expect(try await store.spotCheckOrderEvents(orderIDs: ["o9"]) == [:])
            } catch {
                // PSQLError's description hides its details; a failure here names them.
                Issue.record("\(kind): \(String(reflecting: error))")
            }
        }
    }

    @Test("the migration fills the read model from events stored before it", arguments: StoreKind.allCases)
    func backfill(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            var rng = SeededGenerator(seed: 7)
            let events = try Self.events(&rng)
            _ = try await store.appendEvents(events)
            let expected = try Self.searched(events)
            #expect(try await store.spotCheckOrderEvents(orderIDs: Self.orders().map(\.id)) == expected)
            // As a store from before the migration: no table, no index, the migration not recorded.
            let name = SpotCheckOrderEventsSchema.migration.name
            try await execute(store, "DROP TABLE spotcheck_order_events")
            try await execute(store, "DROP INDEX spotcheck_orders_command")
            if store is CollectorSQLiteStore {
                try await execute(store, "DELETE FROM grdb_migrations WHERE identifier = '\(name)'")
            } else {
                try await execute(store, "DELETE FROM schema_migrations WHERE name = '\(name)'")
            }
            try await store.migrate()
            #expect(try await store.spotCheckOrderEvents(orderIDs: Self.orders().map(\.id)) == expected)
        }
    }

    @Test("the newest inventory by a time, by seq", arguments: StoreKind.allCases)
    func latestInventory(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seed(store)
            let full = AgentEventBody.inventorySnapshot(DeviceDirectoryTests.inventory(cameras: 1, microphones: 1))
            let noCamera = AgentEventBody.inventorySnapshot(DeviceDirectoryTests.inventory(cameras: 0, microphones: 1))
            let events = [
                try Self.event("d01", 1, at: 100, full),
                try Self.event(
                    "d01", 2, at: 200,
                    .heartbeat(Heartbeat(agentVersion: "1", uptimeSeconds: 1, queueDepth: 0, droppedUsageTotal: 0))),
                try Self.event("d01", 3, at: 300, noCamera), try Self.event("d02", 1, at: 50, noCamera),
            ]
            _ = try await store.appendEvents(events)
            #expect(try await store.latestInventoryEvent(deviceID: "d01", by: 99) == nil)
            #expect(try await store.latestInventoryEvent(deviceID: "d01", by: 299) == events[0])
            #expect(try await store.latestInventoryEvent(deviceID: "d01", by: 300) == events[2])
            #expect(try await store.latestInventoryEvent(deviceID: "d03", by: 1_000) == nil)
            let facts = SpotCheckOrderFacts.facts(
                order: Self.orders()[0], publicKey: "k", events: [], commandPending: false, inventory: events[2])
            #expect(facts.0.hardwareMissing == "no camera")
            #expect(facts.0.delivered == false)
            #expect(facts.1 == "none")
        }
    }
}
