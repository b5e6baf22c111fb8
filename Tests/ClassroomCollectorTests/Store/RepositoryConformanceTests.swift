import ClassroomCore
import ClassroomWire
import Foundation
import Testing

@testable import ClassroomCollector

/// Which implementation of the repositories that have three: SQLite, PostgreSQL and in memory.
enum RepositoryKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres, memory
    var testDescription: String { rawValue }
}

typealias SharedRepositories = OperatorTokenRepository & CommandQueueRepository & RegistryRepository & AuditRepository

/// A fresh instance of the repositories of `kind` (a migrated store, or ``InMemoryRepositories``).
func withRepositories(_ kind: RepositoryKind, _ body: @Sendable (any SharedRepositories) async throws -> Void) async throws {
    switch kind {
    case .sqlite: try await withStore(.sqlite) { try await body($0) }
    case .postgres: try await withStore(.postgres) { try await body($0) }
    case .memory: try await body(InMemoryRepositories())
    }
}

/// One suite, three implementations: what ``OperatorTokenRepository``, ``CommandQueueRepository``,
/// ``RegistryRepository`` and ``AuditRepository`` must do, whether on SQLite, PostgreSQL or in memory.
@Suite("Repository conformance")
struct RepositoryConformanceTests {
    static func audit(_ action: String, actor: String = "test", school: String? = nil, at: Int64 = 1) -> AuditEntry {
        AuditEntry(at: at, actor: actor, action: action, target: "t", schoolID: school, detail: action)
    }

    @Test("commands stay pending until their own device acknowledges them", arguments: RepositoryKind.allCases)
    func commands(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            for (id, device, at) in [("c2", "d1", Int64(20)), ("c1", "d1", 10), ("c3", "d2", 5), ("c0", "d1", 20)] {
                try await r.enqueueCommand(
                    CommandRecord(id: id, deviceID: device, kind: "chime", body: "{\"id\":\"\(id)\"}", issuedAt: at),
                    audit: id == "c3" ? Self.audit("command.queue") : nil)
            }
            // Oldest first, then by id.
            #expect(try await r.pendingCommands(deviceID: "d1").map(\.id) == ["c1", "c0", "c2"])
            #expect(try await r.pendingCommands(deviceID: "d1").first?.body == "{\"id\":\"c1\"}")
            // Another device's command and unknown ids are not acknowledged; repeated ids count once.
            #expect(try await r.acknowledgeCommands(deviceID: "d1", ids: ["c1", "c3", "zz", "c1"], at: 30) == 1)
            #expect(try await r.acknowledgeCommands(deviceID: "d1", ids: ["c1"], at: 31) == 0)
            #expect(try await r.acknowledgeCommands(deviceID: "d1", ids: [], at: 31) == 0)
            #expect(try await r.pendingCommands(deviceID: "d1").map(\.id) == ["c0", "c2"])
            #expect(try await r.pendingCommands(deviceID: "d2").map(\.id) == ["c3"])
            #expect(try await r.pendingCommands(deviceID: "nobody").isEmpty)
            #expect(try await r.auditLog(filter: AuditFilter(), limit: 10, offset: 0).map(\.action) == ["command.queue"])
        }
    }

    @Test(
        "a command id is queued once: the second is refused and its audit entry is not written",
        arguments: RepositoryKind.allCases)
    func duplicateCommand(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            let command = CommandRecord(id: "c1", deviceID: "d1", kind: "chime", body: "{}", issuedAt: 1)
            try await r.enqueueCommand(command, audit: Self.audit("first"))
            await #expect(throws: (any Error).self) {
                try await r.enqueueCommand(
                    CommandRecord(id: "c1", deviceID: "d2", kind: "other", body: "{}", issuedAt: 2), audit: Self.audit("second"))
            }
            #expect(try await r.pendingCommands(deviceID: "d1") == [command])
            #expect(try await r.pendingCommands(deviceID: "d2").isEmpty)
            #expect(try await r.auditLog(filter: AuditFilter(), limit: 10, offset: 0).map(\.action) == ["first"])
        }
    }

    @Test("tokens: hashed lookup, school filter, revoke once; text is stored verbatim", arguments: RepositoryKind.allCases)
    func tokens(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            let evil = "Robert'); DROP TABLE operator_tokens;--"
            let a = OperatorTokenRecord(
                id: "t1", name: evil, role: .bureauAdmin, schoolID: nil, secretHash: "h1", createdAt: 1, createdBy: nil)
            let s = OperatorTokenRecord(
                id: "t2", name: "校管理员", role: .schoolAdmin, schoolID: "S1", secretHash: "h2", createdAt: 2, createdBy: "token:t1",
                expiresAt: 99)
            let c = OperatorTokenRecord(
                id: "t0", name: "county", role: .countyAdmin, schoolID: nil, secretHash: "h0", createdAt: 2,
                createdBy: "token:t1",
                county: "泸溪县")
            for token in [s, a, c] { try await r.insertOperatorToken(token, audit: Self.audit("token.create:\(token.id)")) }
            #expect(try await r.operatorToken(secretHash: "h1") == a)
            #expect(try await r.operatorToken(secretHash: "nope") == nil)
            #expect(try await r.operatorToken(id: "t2") == s)
            #expect(try await r.operatorToken(id: "t0")?.county == "泸溪县")
            #expect(try await r.operatorTokens(schoolID: nil).map(\.id) == ["t1", "t0", "t2"])
            #expect(try await r.operatorTokens(schoolID: "S1").map(\.id) == ["t2"])
            #expect(try await r.revokeOperatorToken(id: "t2", at: 9, audit: Self.audit("token.revoke")))
            #expect(try await !r.revokeOperatorToken(id: "t2", at: 10, audit: Self.audit("token.revoke.again")))
            #expect(try await !r.revokeOperatorToken(id: "missing", at: 10, audit: Self.audit("token.revoke.missing")))
            #expect(try await r.operatorToken(id: "t2")?.revokedAt == 9)
            #expect(try await r.operatorToken(secretHash: "h2")?.revokedAt == 9)
            // Only the writes that happened are audited.
            #expect(
                try await r.auditLog(filter: AuditFilter(action: "token.*"), limit: 10, offset: 0).map(\.action) == [
                    "token.revoke", "token.create:t0", "token.create:t1", "token.create:t2",
                ])
        }
    }

    @Test("a token whose id or secret exists already is refused, with nothing written", arguments: RepositoryKind.allCases)
    func duplicateToken(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            let a = OperatorTokenRecord(
                id: "t1", name: "a", role: .bureauAdmin, schoolID: nil, secretHash: "h1", createdAt: 1, createdBy: nil)
            try await r.insertOperatorToken(a, audit: Self.audit("create"))
            var sameID = a
            sameID.secretHash = "h9"
            var sameSecret = a
            sameSecret.id = "t9"
            for token in [sameID, sameSecret] {
                await #expect(throws: (any Error).self) { try await r.insertOperatorToken(token, audit: Self.audit("refused")) }
            }
            #expect(try await r.operatorTokens(schoolID: nil) == [a])
            #expect(try await r.operatorToken(secretHash: "h9") == nil)
            #expect(try await r.auditLog(filter: AuditFilter(), limit: 10, offset: 0).map(\.action) == ["create"])
        }
    }

    @Test(
        "audit log: newest first, paged, filtered exactly or by prefix, case-sensitive, wildcards literal",
        arguments: RepositoryKind.allCases)
    func auditFilters(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            let entries = [
                Self.audit("device.enroll", actor: "enrollment_token:e1", school: "S1", at: 1),
                Self.audit("device.revoke", actor: "token:t1", school: "S1", at: 2),
                Self.audit("registry.import", actor: "token:t1", at: 3),
                Self.audit("Device.Enroll", actor: "Token:T1", school: "S2", at: 4),
                Self.audit("a_b%c*d?[e]", actor: "token:t_1", school: "S3", at: 5),
                Self.audit("axb%c*d?[e]", actor: "token:tx1", school: "S3", at: 6),
            ]
            for e in entries { try await r.appendAudit(e) }
            func actions(_ filter: AuditFilter, limit: Int = 100, offset: Int = 0) async throws -> [String] {
                try await r.auditLog(filter: filter, limit: limit, offset: offset).map(\.action)
            }
            #expect(try await r.auditLog(filter: AuditFilter(), limit: 100, offset: 0) == entries.reversed())
            #expect(try await actions(AuditFilter(), limit: 2, offset: 1) == ["a_b%c*d?[e]", "Device.Enroll"])
            #expect(try await actions(AuditFilter(), limit: 5, offset: 6).isEmpty)
            #expect(try await actions(AuditFilter(action: "device.*")) == ["device.revoke", "device.enroll"])
            #expect(try await actions(AuditFilter(action: "device.enroll")) == ["device.enroll"])
            #expect(try await actions(AuditFilter(action: "device")).isEmpty)
            #expect(try await actions(AuditFilter(actor: "token:t1")) == ["registry.import", "device.revoke"])
            #expect(try await actions(AuditFilter(actor: "Token:*")) == ["Device.Enroll"])
            // `_`, `%`, `?`, `[` and an inner `*` are characters, not patterns; only a final `*` is.
            #expect(try await actions(AuditFilter(action: "a_b%c*d?[e]")) == ["a_b%c*d?[e]"])
            #expect(try await actions(AuditFilter(action: "a_b%*")) == ["a_b%c*d?[e]"])
            #expect(try await actions(AuditFilter(actor: "token:t_*")) == ["a_b%c*d?[e]"])
            #expect(try await actions(AuditFilter(schoolID: "S1")) == ["device.revoke", "device.enroll"])
            #expect(try await actions(AuditFilter(actor: "token:t1", schoolID: "S1")) == ["device.revoke"])
            var scoped = AuditFilter()
            scoped.schoolIDs = ["S2", "S3"]
            #expect(try await actions(scoped) == ["axb%c*d?[e]", "a_b%c*d?[e]", "Device.Enroll"])
            scoped.schoolIDs = []
            #expect(try await actions(scoped).isEmpty)
            #expect(try await r.auditLog(schoolID: "S2", limit: 5).map(\.actor) == ["Token:T1"])
        }
    }

    @Test("the dispatcher queues through the repository and wakes the device's poll", arguments: RepositoryKind.allCases)
    func dispatcherWakes(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            let notifier = CommandNotifier()
            let dispatcher = CommandDispatcher(queue: r, notifier: notifier)
            let wait = notifier.register(deviceID: "d1")
            let other = notifier.register(deviceID: "d2")
            let command = AgentCommand(id: "cmd-1", kind: .chime, issuedAt: 5)
            try await dispatcher.enqueue(command, for: "d1", audit: Self.audit("command.chime"))
            #expect(await wait.wait(timeout: .seconds(30)) == .command)
            #expect(await other.wait(timeout: .milliseconds(50)) == nil)
            let pending = try await r.pendingCommands(deviceID: "d1")
            #expect(pending.map(\.id) == ["cmd-1"])
            #expect(pending.first?.kind == "chime")
            #expect(try await r.auditLog(filter: AuditFilter(action: "command.*"), limit: 5, offset: 0).count == 1)
        }
    }

    // MARK: Registry

    static let empty = Registry(schools: [], rooms: [], teachers: [], lessons: [])

    /// The server tests' registry with declared resources (``SchoolResourceStoreTests``) and a term
    /// calendar, its lists out of order.
    static func fullRegistry() throws -> Registry {
        var r = try SchoolResourceStoreTests.registry()
        r.schools.reverse()
        r.rooms.reverse()
        r.lessons.reverse()
        r.calendar = TermCalendar(days: [
            CalendarDay(date: LocalDate(year: 2025, month: 9, day: 1), kind: .termStart, note: "开学"),
            CalendarDay(date: LocalDate(year: 2025, month: 10, day: 1), kind: .holiday, note: "国庆"),
            CalendarDay(date: LocalDate(year: 2025, month: 9, day: 28), kind: .workday, note: "调休", timetableWeekday: 3),
            CalendarDay(date: LocalDate(year: 2026, month: 1, day: 16), kind: .termEnd),
        ])
        return r
    }

    @Test(
        "registry: empty until imported, then replaced whole and read back in order; rooms' schools; the import audited",
        arguments: RepositoryKind.allCases)
    func registryReplace(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            #expect(try await r.registry() == Self.empty)
            #expect(try await r.termCalendar() == nil)
            #expect(try await r.schoolOfRoom("R1") == nil)
            #expect(try await !r.schoolExists("S1"))

            let full = try Self.fullRegistry()
            let outcome = try await r.replaceRegistry(full, audit: Self.audit("registry.import:full"))
            #expect(outcome == RegistryReplaceOutcome(schools: 2, rooms: 3, teachers: 3, lessons: 3, devicesUnbound: 0))
            let back = try await r.registry()
            #expect(back == RegistryRows.canonical(full))
            #expect(back.schools.map(\.id) == ["S1", "S2"])
            #expect(back.schools.first?.junior.resources[.equipmentValue] == 375_000.25)
            #expect(try await r.termCalendar() == full.calendar)
            #expect(try await r.termCalendar()?.terms.count == 1)
            #expect(try await r.schoolOfRoom("R3") == "S2")
            #expect(try await r.schoolOfRoom("R9") == nil)
            #expect(try await r.schoolExists("S1"))
            #expect(try await !r.schoolExists("S9"))

            // A second import replaces everything: S2, its room and the calendar are gone.
            let smaller = try RegistryCacheTests.smaller()
            let second = try await r.replaceRegistry(smaller, audit: Self.audit("registry.import:smaller", at: 2))
            #expect(second == RegistryReplaceOutcome(schools: 1, rooms: 2, teachers: 2, lessons: 2, devicesUnbound: 0))
            #expect(try await r.registry() == RegistryRows.canonical(smaller))
            #expect(try await r.termCalendar() == nil)
            #expect(try await r.schoolOfRoom("R3") == nil)
            #expect(try await !r.schoolExists("S2"))
            #expect(
                try await r.auditLog(filter: AuditFilter(), limit: 10, offset: 0).map(\.action) == [
                    "registry.import:smaller", "registry.import:full",
                ])
        }
    }

    @Test("registry: what the tables cannot hold comes back as the stores give it", arguments: RepositoryKind.allCases)
    func registryAsStored(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            var registry = try TestRegistry.registry()
            let s1 = try #require(registry.schools.firstIndex { $0.id == "S1" })
            registry.schools[s1].primary.resources = [.backboneTeachers: 3, .teachingArea: .nan]
            registry.schools[s1].high.resources = [.backboneTeachers: 9]  // no high-stage columns
            let t1 = try #require(registry.teachers.firstIndex { $0.id == "T1" })
            registry.teachers[t1].subjects = ["语文;数学", "", "科学"]  // stored joined by `;`
            registry.calendar = TermCalendar(days: [])  // no rows: no calendar
            _ = try await r.replaceRegistry(registry, audit: Self.audit("registry.import"))
            let back = try await r.registry()
            #expect(back == RegistryRows.stored(registry))
            let school = try #require(back.schools.first { $0.id == "S1" })
            #expect(school.primary.resources == [.backboneTeachers: 3])
            #expect(school.high.resources.isEmpty)
            #expect(back.teachers.first { $0.id == "T1" }?.subjects == ["语文", "数学", "科学"])
            #expect(back.calendar == nil)
            #expect(try await r.termCalendar() == nil)
        }
    }

    @Test(
        "registry: a school, room, teacher or calendar date held twice is refused; the stored registry and the audit log stay",
        arguments: RepositoryKind.allCases)
    func registryDuplicateKeys(kind: RepositoryKind) async throws {
        try await withRepositories(kind) { r in
            let first = try TestRegistry.registry()
            _ = try await r.replaceRegistry(first, audit: Self.audit("registry.import"))
            var twiceSchool = try RegistryCacheTests.smaller()
            twiceSchool.schools.append(twiceSchool.schools[0])
            var twiceRoom = try RegistryCacheTests.smaller()
            twiceRoom.rooms.append(twiceRoom.rooms[0])
            var twiceTeacher = try RegistryCacheTests.smaller()
            twiceTeacher.teachers.append(twiceTeacher.teachers[0])
            var twiceDate = try RegistryCacheTests.smaller()
            let day = LocalDate(year: 2025, month: 9, day: 1)
            twiceDate.calendar = TermCalendar(days: [
                CalendarDay(date: day, kind: .termStart), CalendarDay(date: day, kind: .holiday),
                CalendarDay(date: LocalDate(year: 2026, month: 1, day: 16), kind: .termEnd),
            ])
            for refused in [twiceSchool, twiceRoom, twiceTeacher, twiceDate] {
                await #expect(throws: (any Error).self) {
                    _ = try await r.replaceRegistry(refused, audit: Self.audit("registry.import:refused"))
                }
            }
            #expect(try await r.registry() == RegistryRows.canonical(first))
            #expect(try await r.schoolExists("S2"))
            #expect(try await r.auditLog(filter: AuditFilter(), limit: 10, offset: 0).map(\.action) == ["registry.import"])
        }
    }
}
