import ClassroomCore
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import ClassroomCollector

/// Ingest is one transaction, and the last use of an enrollment token is spent once.
@Suite("Store durability and races")
struct StoreDurabilityTests {
    static func events(_ device: String, _ seqs: ClosedRange<Int64>) -> [StoredEvent] {
        seqs.map {
            StoredEvent(deviceID: device, seq: $0, kind: "heartbeat", agentAt: 1, at: 1, receivedAt: 1, body: "{}")
        }
    }

    static func device(_ id: String) -> DeviceRecord {
        DeviceRecord(
            id: id, schoolID: "", roomID: nil, hostname: "pc-\(id)", agentVersion: "0.1.0", publicKey: "k",
            credentialHash: "hash-\(id)", enrolledAt: 1)
    }

    /// Makes the store fail the statement after the events insert of an ingest (the device update).
    static func failDeviceUpdates(_ store: any CollectorStore) async throws {
        if let sqlite = store as? CollectorSQLiteStore {
            try await sqlite.pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER fail_device_update BEFORE UPDATE ON devices
                        BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                        """)
            }
        } else if let postgres = store as? CollectorPostgresStore {
            try await postgres.client.query(
                """
                CREATE FUNCTION fail_device_update() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$
                """)
            try await postgres.client.query(
                "CREATE TRIGGER fail_device_update BEFORE UPDATE ON devices FOR EACH ROW EXECUTE FUNCTION fail_device_update()")
        }
    }

    @Test("an ingest that fails after inserting its events leaves none of them (one transaction)", arguments: StoreKind.allCases)
    func ingestIsOneTransaction(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await CollectorHarness.make(store)
            let token = EnrollmentTokenRecord(
                id: "t", schoolID: "S1", secretHash: "th", maxUses: 5, expiresAt: 10_000, createdAt: 0, createdBy: "test")
            try await store.insertEnrollmentToken(
                token, audit: AuditEntry(at: 0, actor: "t", action: "x", target: "x", schoolID: nil, detail: ""))
            guard case .enrolled = try await store.enroll(tokenHash: "th", roomID: "R1", device: Self.device("d1"), now: 1)
            else { throw TestFailure("enroll failed") }
            let stored = try await store.ingest(Self.events("d1", 1...5), deviceID: "d1", at: 2, clockSkewMillis: 0)
            #expect(stored.highestSeq == 5)
            try await Self.failDeviceUpdates(store)
            await #expect(throws: (any Error).self) {
                _ = try await store.ingest(Self.events("d1", 6...10), deviceID: "d1", at: 3, clockSkewMillis: 0)
            }
            #expect(try await store.highestEventSeq(deviceID: "d1") == 5)
            #expect(try await store.events(deviceID: "d1", afterSeq: 5, limit: 10).isEmpty)
        }
    }

    @Test("uploads written together (group commit): each in its own savepoint, a failing one stores nothing, the others all")
    func groupCommitIsolatesUploads() async throws {
        try await withStore(.sqlite) { store in
            let sqlite = try #require(store as? CollectorSQLiteStore)
            _ = try await CollectorHarness.make(store)
            try await store.insertEnrollmentToken(
                EnrollmentTokenRecord(
                    id: "t", schoolID: "S1", secretHash: "th", maxUses: 10, expiresAt: 10_000, createdAt: 0, createdBy: "test"),
                audit: AuditEntry(at: 0, actor: "t", action: "x", target: "x", schoolID: nil, detail: ""))
            let ids = ["lead", "a", "b", "bad", "c"]
            for id in ids {
                guard case .enrolled = try await store.enroll(tokenHash: "th", roomID: "R1", device: Self.device(id), now: 1)
                else { throw TestFailure("enroll failed") }
            }
            try await sqlite.pool.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER fail_bad_update BEFORE UPDATE ON devices WHEN NEW.id = 'bad'
                        BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                        """)
            }
            let hour: Int64 = 3_600_000
            func upload(_ id: String) async throws -> IngestOutcome {
                let events = (1...3).map {
                    StoredEvent(
                        deviceID: id, seq: $0, kind: "heartbeat", agentAt: hour + $0, at: hour + $0, receivedAt: hour, body: "{}")
                }
                return try await store.ingest(events, deviceID: id, at: hour + 10, clockSkewMillis: 0)
            }
            let before = sqlite.ingestGroup.rounds
            // The leader's round waits for the writer, held until the four others wait behind it.
            let release = Mutex(false)
            async let held: Void = sqlite.pool.write { _ in
                while !release.withLock({ $0 }) { usleep(1000) }
            }
            async let lead = upload("lead")
            _ = await GroupCommitTests.eventually { sqlite.ingestGroup.rounds == before + 1 }
            let outcomes = await withTaskGroup(of: (String, IngestOutcome?).self) { tasks in
                for id in ids.dropFirst() { tasks.addTask { (id, try? await upload(id)) } }
                _ = await GroupCommitTests.eventually { sqlite.ingestGroup.waiting == 4 }
                release.withLock { $0 = true }
                var all: [String: IngestOutcome?] = [:]
                for await (id, o) in tasks { all[id] = o }
                return all
            }
            try await held
            #expect(try await lead.appended.inserted == 3)
            #expect(sqlite.ingestGroup.rounds == before + 2)
            for id in ["a", "b", "c"] {
                #expect(outcomes[id]??.appended == AppendOutcome(inserted: 3, duplicates: 0), "\(id)")
                #expect(outcomes[id]??.highestSeq == 3)
                #expect(try await store.events(deviceID: id, afterSeq: 0, limit: 10).map(\.seq) == [1, 2, 3])
            }
            #expect(outcomes["bad"] == .some(nil))
            #expect(try await store.events(deviceID: "bad", afterSeq: 0, limit: 10).isEmpty)
            let window = try await store.coverageReadModel(from: hour, through: 2 * hour - 1)
            #expect(window.lastSeen == ["lead": hour + 3, "a": hour + 3, "b": hour + 3, "c": hour + 3])
            #expect(try await store.device(id: "c")?.lastSeenAt == hour + 10)
        }
    }

    @Test("40 devices racing for the last use of an enrollment token: exactly one wins", arguments: StoreKind.allCases)
    func lastUseRace(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await CollectorHarness.make(store)
            for round in 0..<3 {
                let hash = "race-\(round)"
                try await store.insertEnrollmentToken(
                    EnrollmentTokenRecord(
                        id: "race-\(round)", schoolID: "S1", secretHash: hash, maxUses: 1, expiresAt: 10_000, createdAt: 0,
                        createdBy: "test"),
                    audit: AuditEntry(at: 0, actor: "t", action: "x", target: "x", schoolID: nil, detail: ""))
                let outcomes = try await withThrowingTaskGroup(of: EnrollOutcome.self) { group in
                    for i in 0..<40 {
                        group.addTask {
                            try await store.enroll(tokenHash: hash, roomID: "R1", device: Self.device("r\(round)-\(i)"), now: 1)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let won = outcomes.filter { if case .enrolled = $0 { true } else { false } }
                #expect(won.count == 1, "round \(round): \(outcomes)")
                #expect(outcomes.filter { $0 == .exhausted }.count == 39)
                let devices = try await store.devices(schoolID: "S1").filter { $0.id.hasPrefix("r\(round)-") }
                #expect(devices.count == 1)
            }
        }
    }
}
