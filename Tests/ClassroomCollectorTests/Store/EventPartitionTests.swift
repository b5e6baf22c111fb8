import ClassroomCore
import ClassroomTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import ClassroomCollector

/// The month partitions of PostgreSQL's events table (`v620-events-partitioned`) and the retention
/// of old events on both stores.
@Suite struct EventPartitionTests {
    // UTC instants, milliseconds since 1970.
    static let oct15_2025: Int64 = 1_760_486_400_000
    static let dec1_2025: Int64 = 1_764_547_200_000
    static let jan31_2026: Int64 = 1_769_817_600_000
    static let feb1_2026: Int64 = 1_769_904_000_000
    static let jun10_2026: Int64 = 1_781_049_600_000
    static let jun15_2026: Int64 = 1_781_481_600_000
    static let jan5_2025: Int64 = 1_736_035_200_000
    static let jan15_2200: Int64 = 7_259_328_000_000

    static func event(_ device: String, _ seq: Int64, agentAt: Int64, at: Int64) -> StoredEvent {
        StoredEvent(
            deviceID: device, seq: seq, kind: "heartbeat", agentAt: agentAt, at: at, receivedAt: at,
            body: "{\"seq\":\(seq)}")
    }

    @Test(arguments: StoreKind.allCases)
    func retentionRemovesExactlyTheOldMonths(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Partitions October 2025 … June 2026 (PostgreSQL), as a collector running since then made them.
            let created = try await store.prepareEventPartitions(now: Self.oct15_2025, monthsAhead: 8)
            #expect(created.count == (kind == .postgres ? 9 : 0))
            let events = [
                Self.event("d", 1, agentAt: Self.dec1_2025 - 1, at: Self.dec1_2025 - 1),  // 30 Nov: removed
                Self.event("d", 2, agentAt: Self.dec1_2025, at: Self.dec1_2025),  // 1 Dec: kept
                Self.event("d", 3, agentAt: Self.jun10_2026, at: Self.jun10_2026),  // kept
                Self.event("d", 4, agentAt: 1000, at: Self.jun10_2026),  // clock at 1970, arrived in June: kept
                Self.event("d", 5, agentAt: 5000, at: Self.jan5_2025),  // clock at 1970, arrived long ago: removed
                Self.event("d", 6, agentAt: Self.oct15_2025, at: Self.oct15_2025 + 3),  // removed
            ]
            #expect(try await store.appendEvents(events).inserted == 6)

            // Six whole months before June 2026: December 2025 is the oldest month kept.
            let outcome = try await store.applyEventRetention(months: 6, now: Self.jun15_2026)
            #expect(outcome.cutoff == Self.dec1_2025)
            #expect(try await store.events(deviceID: "d", afterSeq: 0, limit: 10).map(\.seq) == [2, 3, 4])
            switch kind {
            case .sqlite:
                #expect(outcome == EventRetentionOutcome(cutoff: Self.dec1_2025, droppedPartitions: [], deletedRows: 3))
            case .postgres:
                #expect(outcome.droppedPartitions == ["events_2025_10", "events_2025_11"])
                #expect(outcome.deletedRows == 1)
                let postgres = try #require(store as? CollectorPostgresStore)
                let partitions = try await postgres.eventPartitionCounts()
                #expect(partitions.keys.filter { $0 < "events_2025_12" }.isEmpty)
                for month in ["events_2025_12", "events_2026_01", "events_2026_03", "events_2026_06", "events_default"] {
                    #expect(partitions[month] != nil, "\(month)")
                }
                #expect(partitions["events_2025_12"] == 1 && partitions["events_2026_06"] == 1)
                #expect(partitions["events_default"] == 1)
            }
            let audit = try await store.auditLog(schoolID: nil, limit: 10).filter { $0.action == "events.retention" }
            #expect(audit.count == 1)
            #expect(audit.first?.detail.contains("events before 2025-12") == true)

            // Run again the same day: nothing left to remove, nothing audited.
            let again = try await store.applyEventRetention(months: 6, now: Self.jun15_2026)
            #expect(again == EventRetentionOutcome(cutoff: Self.dec1_2025, droppedPartitions: [], deletedRows: 0))
            #expect(try await store.auditLog(schoolID: nil, limit: 10).filter { $0.action == "events.retention" }.count == 1)
        }
    }

    /// A batch sent again is measured again: its corrected `at` moves, here across the month
    /// boundary, while the agent's own `agent_at` stays; the event is still stored once.
    @Test(arguments: StoreKind.allCases)
    func resentEventAcrossAMonthBoundaryIsStoredOnce(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.prepareEventPartitions(now: Self.jan31_2026, monthsAhead: 1)
            let agentAt = Self.feb1_2026 - 100  // 31 January 23:59:59.900 on the agent's clock
            let first = Self.event("d", 1, agentAt: agentAt, at: agentAt + 400)  // corrected into February
            let resent = Self.event("d", 1, agentAt: agentAt, at: agentAt - 5_000)  // corrected in January
            #expect(try await store.appendEvents([first]) == AppendOutcome(inserted: 1, duplicates: 0))
            #expect(try await store.appendEvents([resent]) == AppendOutcome(inserted: 0, duplicates: 1))
            let ingested = try await store.ingest(
                [
                    Self.event("d", 1, agentAt: agentAt, at: Self.feb1_2026 + 86_400_000),
                    Self.event("d", 2, agentAt: agentAt, at: agentAt),
                ],
                deviceID: "d", at: Self.feb1_2026, clockSkewMillis: 0)
            #expect(ingested.appended == AppendOutcome(inserted: 1, duplicates: 1))
            #expect(ingested.highestSeq == 2)
            let stored = try await store.events(deviceID: "d", afterSeq: 0, limit: 10)
            #expect(stored.map(\.seq) == [1, 2])
            #expect(stored.first?.at == agentAt + 400)
            let inRange = try await store.events(
                kinds: ["heartbeat"], from: Self.jan31_2026 - 86_400_000, through: Self.feb1_2026 + 2 * 86_400_000)
            #expect(inRange.map(\.seq).sorted() == [1, 2])
            if let postgres = store as? CollectorPostgresStore {
                let partitions = try await postgres.eventPartitionCounts()
                #expect(partitions["events_2026_01"] == 2)
                #expect(partitions["events_2026_02"] == 0)
            }
        }
    }

    /// A clock reset to 1970 or set far ahead is never refused: the event lands in the DEFAULT
    /// partition, and moves into its month's partition once that is created.
    @Test(arguments: StoreKind.allCases)
    func eventsFarInThePastAndFutureAreStored(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let past = Self.event("d", 1, agentAt: 0, at: Self.jun10_2026)
            let future = Self.event("d", 2, agentAt: Self.jan15_2200, at: Self.jun10_2026 + 1)
            #expect(try await store.appendEvents([past, future]) == AppendOutcome(inserted: 2, duplicates: 0))
            #expect(try await store.events(deviceID: "d", afterSeq: 0, limit: 10) == [past, future])
            guard let postgres = store as? CollectorPostgresStore else { return }
            #expect(try await postgres.eventPartitionCounts()["events_default"] == 2)

            // January 2200 comes: its partition takes the waiting row out of DEFAULT.
            #expect(try await postgres.prepareEventPartitions(now: Self.jan15_2200, monthsAhead: 0) == ["events_2200_01"])
            let partitions = try await postgres.eventPartitionCounts()
            #expect(partitions["events_2200_01"] == 1)
            #expect(partitions["events_default"] == 1)
            #expect(try await store.events(deviceID: "d", afterSeq: 0, limit: 10) == [past, future])
            #expect(try await store.appendEvents([past, future]) == AppendOutcome(inserted: 0, duplicates: 2))
            #expect(try await postgres.prepareEventPartitions(now: Self.jan15_2200, monthsAhead: 0) == [])
        }
    }

    /// `v620-events-partitioned` on a database that already holds events: every row is kept, in
    /// its month's partition, and the key still stops a re-sent event.
    @Test func migrationPartitionsAnExistingEventsTable() async throws {
        try await withUnmigratedPostgres { store in
            let all = CollectorSchema.migrations
            let v620 = try #require(all.firstIndex { $0.name == "v620-events-partitioned" })
            try await store.migrate(all[..<v620])
            var events: [StoredEvent] = []
            for seq in Int64(1)...1500 {  // one every 3 hours from 15 October 2025: three months
                let t = Self.oct15_2025 + seq * 3 * 3_600_000
                events.append(Self.event("d\(seq % 7)", seq, agentAt: t, at: t + 250))
            }
            events.append(Self.event("dead-clock", 1, agentAt: 0, at: Self.jun10_2026))
            events.append(Self.event("future-clock", 1, agentAt: Self.jan15_2200, at: Self.jun10_2026))
            // A kind no read model keeps: the tables of the read models of later migrations (such as
            // `coverage_hours`, v640) do not exist yet at this schema.
            for i in events.indices { events[i].kind = "agent_log" }
            #expect(try await store.appendEvents(events).inserted == events.count)
            let partitionedBefore = try await store.rows("SELECT count(*) AS n FROM pg_partitioned_table").first?["n"]
                .decode(Int64.self)
            #expect(partitionedBefore == 0)

            try await store.migrate()
            let counts = try await store.eventPartitionCounts()
            #expect(counts.values.reduce(0, +) == events.count)
            #expect(counts["events_default"] == 2)
            for month in ["events_2025_10", "events_2025_11", "events_2025_12", "events_2026_01", "events_2026_02"] {
                #expect((counts[month] ?? 0) > 0, "\(month)")
            }
            var stored: [StoredEvent] = []
            for device in Set(events.map(\.deviceID)) {
                stored += try await store.events(deviceID: device, afterSeq: 0, limit: 10_000)
            }
            #expect(Set(stored) == Set(events))
            let resent = events.map {
                StoredEvent(
                    deviceID: $0.deviceID, seq: $0.seq, kind: $0.kind, agentAt: $0.agentAt, at: $0.at + 40 * 86_400_000,
                    receivedAt: $0.receivedAt, body: $0.body)
            }
            #expect(try await store.appendEvents(resent) == AppendOutcome(inserted: 0, duplicates: events.count))
            #expect(
                try await store.rows("SELECT to_regclass('events_unpartitioned') IS NULL AS gone").first?["gone"].decode(
                    Bool.self) == true)
        }
    }

    @Test func monthArithmetic() {
        #expect(EventMonth.start(of: Self.jun15_2026) == 1_780_272_000_000)
        #expect(EventMonth.retentionCutoff(now: Self.jun15_2026, months: 6) == Self.dec1_2025)
        #expect(EventMonth.start(of: Self.jan31_2026, adding: 1) == Self.feb1_2026)
        #expect(EventMonth.partitionStart("events_2025_12") == Self.dec1_2025)
        #expect(EventMonth.partitionStart("events_default") == nil)
        #expect(EventMonth.partitionStart("events_2025_13") == nil)
        #expect(EventMonth.label(Self.dec1_2025) == "2025-12")
    }
}
