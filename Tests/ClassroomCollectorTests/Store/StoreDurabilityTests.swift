import ClassroomCore
import Foundation
import PostgresNIO
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
