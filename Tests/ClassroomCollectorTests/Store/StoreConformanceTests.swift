import ClassroomCore
import Testing

@testable import ClassroomCollector

/// One suite, both stores: what a ``CollectorStore`` must do, whatever the database.
@Suite("CollectorStore conformance")
struct StoreConformanceTests {
    static let audit = AuditEntry(at: 1, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")

    static func device(_ id: String, hash: String) -> DeviceRecord {
        DeviceRecord(
            id: id, schoolID: "", roomID: nil, hostname: "host-\(id)", agentVersion: "0.1", publicKey: "k", credentialHash: hash,
            enrolledAt: 10)
    }

    static func seeded(_ store: any CollectorStore) async throws {
        _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: audit)
        try await store.insertEnrollmentToken(
            EnrollmentTokenRecord(
                id: "e1", schoolID: "S1", secretHash: "eh1", maxUses: 2, expiresAt: 1_000, createdAt: 0, createdBy: "t"),
            audit: audit)
    }

    @Test("registry round-trips and re-import unbinds only devices whose room is gone", arguments: StoreKind.allCases)
    func registryReplace(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seeded(store)
            #expect(try await store.registry() == RegistryRows.canonical(try TestRegistry.registry()))
            #expect(try await store.schoolOfRoom("R3") == "S2")
            #expect(try await store.schoolOfRoom("R9") == nil)
            #expect(try await store.schoolExists("S1"))
            #expect(try await !store.schoolExists("S9"))
            _ = try await store.enroll(tokenHash: "eh1", roomID: "R1", device: Self.device("d1", hash: "c1"), now: 5)
            _ = try await store.enroll(tokenHash: "eh1", roomID: "R2", device: Self.device("d2", hash: "c2"), now: 5)
            // R2 disappears: d2 loses its room, d1 keeps R1.
            let rooms = TestRegistry.rooms.split(separator: "\n").filter { !$0.hasPrefix("R2,") }.joined(separator: "\n")
            var files = TestRegistry.files(rooms: rooms)
            files["timetable.csv"] = Array(
                TestRegistry.timetable.split(separator: "\n").filter { !$0.contains(",R2,") }.joined(separator: "\n").utf8)
            let smaller = try RegistryLoader.load(files).registry
            let outcome = try await store.replaceRegistry(smaller, audit: Self.audit)
            #expect(outcome.devicesUnbound == 1)
            #expect(outcome.rooms == 2)
            #expect(try await store.device(id: "d1")?.roomID == "R1")
            #expect(try await store.device(id: "d2")?.roomID == nil)
            #expect(try await store.registry().rooms.map(\.id) == ["R1", "R3"])
        }
    }

    @Test("enrollment checks token, expiry, use limit and the room's school", arguments: StoreKind.allCases)
    func enrollment(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seeded(store)
            #expect(
                try await store.enroll(tokenHash: "nope", roomID: "R1", device: Self.device("x", hash: "x"), now: 5)
                    == .unknownToken)
            #expect(
                try await store.enroll(tokenHash: "eh1", roomID: "R1", device: Self.device("x", hash: "x"), now: 1_000)
                    == .expired)
            #expect(
                try await store.enroll(tokenHash: "eh1", roomID: "R9", device: Self.device("x", hash: "x"), now: 5)
                    == .unknownRoom)
            #expect(
                try await store.enroll(tokenHash: "eh1", roomID: "R3", device: Self.device("x", hash: "x"), now: 5)
                    == .roomOfOtherSchool)
            guard
                case .enrolled(let d1) = try await store.enroll(
                    tokenHash: "eh1", roomID: "R1", device: Self.device("d1", hash: "c1"), now: 5)
            else {
                Issue.record("first enrollment failed")
                return
            }
            #expect(d1.schoolID == "S1")
            #expect(try await store.device(credentialHash: "c1")?.id == "d1")
            _ = try await store.enroll(tokenHash: "eh1", roomID: "R2", device: Self.device("d2", hash: "c2"), now: 5)
            #expect(
                try await store.enroll(tokenHash: "eh1", roomID: "R1", device: Self.device("d3", hash: "c3"), now: 5)
                    == .exhausted)
            #expect(try await store.devices(schoolID: "S1").map(\.id) == ["d1", "d2"])
            #expect(try await store.devices(schoolID: "S2").isEmpty)
            #expect(try await store.auditLog(schoolID: "S1", limit: 10).filter { $0.action == "device.enroll" }.count == 2)
        }
    }

    @Test("events are stored once per (device, seq); duplicates are counted", arguments: StoreKind.allCases)
    func events(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            func event(_ device: String, _ seq: Int64) -> StoredEvent {
                StoredEvent(
                    deviceID: device, seq: seq, kind: "heartbeat", agentAt: seq, at: seq + 7, receivedAt: 99,
                    body: "{\"seq\":\(seq)}")
            }
            let first = try await store.appendEvents((1...1200).map { event("d1", $0) })
            #expect(first == AppendOutcome(inserted: 1200, duplicates: 0))
            let again = try await store.appendEvents((1190...1210).map { event("d1", $0) } + [event("d2", 1)])
            #expect(again == AppendOutcome(inserted: 11, duplicates: 11))
            #expect(try await store.highestEventSeq(deviceID: "d1") == 1210)
            #expect(try await store.highestEventSeq(deviceID: "nobody") == 0)
            let page = try await store.events(deviceID: "d1", afterSeq: 1205, limit: 3)
            #expect(page.map(\.seq) == [1206, 1207, 1208])
            #expect(page.first?.at == 1213)
            #expect(page.first?.body == "{\"seq\":1206}")
            #expect(try await store.appendEvents([]) == AppendOutcome(inserted: 0, duplicates: 0))
            // The ingest path: events, last-seen and skew, highest seq, in one call.
            try await Self.seeded(store)
            _ = try await store.enroll(tokenHash: "eh1", roomID: "R1", device: Self.device("d9", hash: "c9"), now: 5)
            let ingested = try await store.ingest(
                [event("d9", 3), event("d9", 4)], deviceID: "d9", at: 500, clockSkewMillis: 1234)
            #expect(ingested == IngestOutcome(appended: AppendOutcome(inserted: 2, duplicates: 0), highestSeq: 4))
            let repeated = try await store.ingest([event("d9", 4)], deviceID: "d9", at: 600, clockSkewMillis: -1)
            #expect(repeated == IngestOutcome(appended: AppendOutcome(inserted: 0, duplicates: 1), highestSeq: 4))
            let seen = try await store.device(id: "d9")
            #expect(seen?.lastSeenAt == 600)
            #expect(seen?.clockSkewMillis == -1)
        }
    }

    @Test("devices: revoke, rotate and last-seen with skew", arguments: StoreKind.allCases)
    func devices(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await Self.seeded(store)
            _ = try await store.enroll(tokenHash: "eh1", roomID: "R1", device: Self.device("d1", hash: "c1"), now: 5)
            #expect(try await store.rotateDeviceCredential(id: "d1", credentialHash: "c1b", audit: Self.audit))
            #expect(try await store.device(credentialHash: "c1") == nil)
            try await store.markSeen(deviceID: "d1", at: 77, clockSkewMillis: -3)
            try await store.markSeen(deviceID: "d1", at: 78, clockSkewMillis: nil)
            let seen = try await store.device(credentialHash: "c1b")
            #expect(seen?.lastSeenAt == 78)
            #expect(seen?.clockSkewMillis == -3)
            #expect(try await store.revokeDevice(id: "d1", at: 80, audit: Self.audit))
            #expect(try await !store.revokeDevice(id: "d1", at: 81, audit: Self.audit))
            #expect(try await !store.rotateDeviceCredential(id: "d1", credentialHash: "c1c", audit: Self.audit))
        }
    }

    @Test("migrate is idempotent", arguments: StoreKind.allCases)
    func migrateTwice(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.migrate()
            #expect(try await store.registry().schools.isEmpty)
        }
    }
}

@Suite("PostgreSQL command notifications")
struct PostgresNotifyTests {
    @Test(
        "a command queued through one collector's pool reaches another's watcher (LISTEN/NOTIFY)",
        .enabled(if: postgresTestURL != nil))
    func crossCollectorWake() async throws {
        try await withStore(.postgres) { store in
            guard let pg = store as? CollectorPostgresStore else { return }
            let (stream, continuation) = AsyncStream<String>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pg.watchCommands { continuation.yield($0) } }
                // LISTEN is asynchronous: keep queuing until the watcher hears one.
                group.addTask {
                    var n = 0
                    while !Task.isCancelled {
                        n += 1
                        try await pg.enqueueCommand(
                            CommandRecord(id: "c\(n)", deviceID: "dev-7", kind: "chime", body: "{}", issuedAt: Int64(n)),
                            audit: nil)
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                var iterator = stream.makeAsyncIterator()
                let heard = await iterator.next()
                #expect(heard == "dev-7")
                group.cancelAll()
            }
        }
    }
}
