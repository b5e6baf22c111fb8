import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// Observation quotas computed from a small view log by hand (the clock is Monday 2026-09-21 22:13
/// in Asia/Shanghai, week 2026-W39; the default term runs from 2026-09-01; one lesson = 10 minutes):
///
/// | viewer (teacher) | lesson | when | minutes | counts for |
/// |---|---|---|---|---|
/// | zhang (T1, 校长 S1) | A | −5 h | 12 | week: 1 |
/// | zhang | B | −4 h and −3 h | 5 + 6 | week: 1 (11 min in all) |
/// | zhang | D | −23 h (Sunday, last week) | 20 | nothing this week |
/// | li (T2, 副校长 S1) | A | −5 h | 15 | week: 1 |
/// | yan (observer) | A (S1) | −2 h | 10 | S1 covered |
/// | yan | C (S2) | −1 h | 9 | nothing |
/// | yan | C (S2) | −10 days | 30 | S2 covered in the default term only |
///
/// So: zhang 2 ≥ 1 met; li 1 < 2 not met; T3 (校长 S2, no account) 0 < 1 not met; coverage 2/2 in
/// the term from 2026-09-01, 1/2 (50 % < 60 %) from 2026-09-21.
@Suite("Observation quotas")
struct ObservationQuotaTests {
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000

    static func registry() throws -> Registry {
        var files = TestRegistry.files()
        files["teachers.csv"] = Array(
            """
            teacher_id,school_id,name,subjects,position
            T1,S1,张伟,语文;数学,校长
            T2,S1,李娜,英语,vice_principal
            T3,S2,王芳,数学,principal
            """.utf8)
        return try RegistryLoader.load(files).registry
    }

    static func view(
        _ store: any CollectorStore, _ user: String, role: OperatorRole, order: String, school: String, at: Int64,
        minutes: Int64
    ) async throws {
        let start = LessonViewStart(
            orderID: order, viewer: "user:\(user)", viewerName: user, viewerRole: role,
            viewerSchoolID: role == .schoolAdmin ? school : nil, schoolID: school, roomID: "R1", mode: .live)
        let audit = AuditEntry(at: at, actor: "user:\(user)", action: "lesson.view", target: order, schoolID: school, detail: "")
        _ = try await store.touchLessonView(start, at: at, idleMillis: 30_000, audit: audit)
        // One request at the end, within a gap as long as the view: the view is extended to it.
        _ = try await store.touchLessonView(start, at: at + minutes * minute, idleMillis: minutes * minute + 1, audit: audit)
    }

    static func populate(_ store: any CollectorStore, now: Int64) async throws {
        _ = try await store.replaceRegistry(try registry(), audit: NoticeFixture.audit)
        let users = ConsoleUsers(store: store, now: { now }, cost: 4)
        _ = try await users.create(
            username: "zhang", password: "principal-1", role: .schoolAdmin, schoolID: "S1", actor: "test", teacherID: "T1")
        _ = try await users.create(
            username: "li", password: "principal-2", role: .schoolAdmin, schoolID: "S1", actor: "test", teacherID: "T2")
        _ = try await users.create(username: "yan", password: "observer-1", role: .observer, schoolID: nil, actor: "test")
        // Oldest first, as the view log is written.
        try await view(store, "yan", role: .observer, order: "C", school: "S2", at: now - 240 * hour, minutes: 30)
        try await view(store, "zhang", role: .schoolAdmin, order: "D", school: "S1", at: now - 23 * hour, minutes: 20)
        try await view(store, "zhang", role: .schoolAdmin, order: "A", school: "S1", at: now - 5 * hour, minutes: 12)
        try await view(store, "li", role: .schoolAdmin, order: "A", school: "S1", at: now - 5 * hour, minutes: 15)
        try await view(store, "zhang", role: .schoolAdmin, order: "B", school: "S1", at: now - 4 * hour, minutes: 5)
        try await view(store, "zhang", role: .schoolAdmin, order: "B", school: "S1", at: now - 3 * hour, minutes: 6)
        try await view(store, "yan", role: .observer, order: "A", school: "S1", at: now - 2 * hour, minutes: 10)
        try await view(store, "yan", role: .observer, order: "C", school: "S2", at: now - 1 * hour, minutes: 9)
    }

    @Test("weekly figures per principal and term coverage, as computed by hand", arguments: StoreKind.allCases)
    func figures(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await Self.populate(store, now: h.clock.now)
            let principalS2 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S2")
            try await h.application().test(.router) { client in
                let answer = try await client.call(.get, "/api/v1/observation?week=2026-W39", token: h.adminToken)
                #expect(answer.status == .ok, "\(answer.text)")
                let r = try answer.decode(ObservationQuotaReport.self)
                #expect(r.weekStart == "2026-09-21" && r.weekEnd == "2026-09-27")
                #expect(r.termStart == "2026-09-01" && r.termEnd == "2027-01-31")
                #expect(r.principals.map(\.teacherID) == ["T1", "T2", "T3"])
                #expect(r.principals.map(\.observed) == [2, 1, 0])
                #expect(r.principals.map(\.quota) == [1, 2, 1])
                #expect(r.principals.map(\.met) == [true, false, false])
                #expect(r.principals.map(\.users) == [["zhang"], ["li"], []])
                #expect(r.coverage.observed == ["S1", "S2"], "\(r.coverage)")
                #expect(r.coverage.schools == 2 && r.coverage.met)
                #expect(answer.json["principals"].map { "\($0)" }?.contains("met") == true)

                let week = try await client.call(
                    .get, "/api/v1/observation?week=2026-W39&term_start=2026-09-21", token: h.adminToken)
                let short = try week.decode(ObservationQuotaReport.self)
                #expect(short.coverage.observed == ["S1"] && short.coverage.share == 0.5 && !short.coverage.met)

                // The week before: zhang's lesson D only.
                let before = try await client.call(.get, "/api/v1/observation?week=2026-W38", token: h.adminToken)
                #expect(try before.decode(ObservationQuotaReport.self).principals.map(\.observed) == [1, 0, 0])

                let own = try await client.call(.get, "/api/v1/observation?week=2026-W39", token: principalS2)
                #expect(try own.decode(ObservationQuotaReport.self).principals.map(\.teacherID) == ["T3"])
                #expect(try await client.call(.get, "/api/v1/observation?week=39", token: h.adminToken).status == .badRequest)
                #expect(
                    try await client.call(.get, "/api/v1/observation?term_start=2026-13-01", token: h.adminToken).status
                        == .badRequest)

                let s = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                let page = try await s.get(client, "/observation?week=2026-W39&term_start=2026-09-21")
                #expect(page.status == .ok)
                #expect(page.text.contains("<span class=\"big\" id=\"coverage-share\">50%</span>"))
                #expect(page.text.contains("校长每周听课不少于 1 节"))
                #expect(page.text.contains("href=\"/observation\""))
                let csv = try await s.get(client, "/observation?week=2026-W39&format=csv")
                let text = String(decoding: [UInt8](csv.body).dropFirst(3), as: UTF8.self)
                #expect(text.contains("2026-W39,S1,龙树九年一贯制学校,T1,张伟,校长,zhang,2,1,是\r\n"))
                #expect(text.contains("2026-W39,S1,龙树九年一贯制学校,T2,李娜,副校长,li,1,2,否\r\n"))
                let p = try await ConsoleTestSession.signIn(client, token: principalS2)
                let mine = try await p.get(client, "/observation?week=2026-W39")
                #expect(mine.text.contains("王芳") && !mine.text.contains("张伟"))
            }
        }
    }

    @Test("a user is linked only to a registry teacher of its own school", arguments: [StoreKind.sqlite])
    func linking(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.replaceRegistry(try Self.registry(), audit: NoticeFixture.audit)
            let users = ConsoleUsers(store: store, cost: 4)
            await #expect(throws: ConsoleUserError.self) {
                _ = try await users.create(
                    username: "x", password: "long-enough", role: .schoolAdmin, schoolID: "S1", actor: "t", teacherID: "T9")
            }
            await #expect(throws: ConsoleUserError.self) {
                _ = try await users.create(
                    username: "y", password: "long-enough", role: .schoolAdmin, schoolID: "S2", actor: "t", teacherID: "T1")
            }
            let made = try await users.create(
                username: "z", password: "long-enough", role: .schoolAdmin, schoolID: "S2", actor: "t", teacherID: "T3")
            #expect(try await store.consoleUser(username: "z")?.teacherID == "T3" && made.teacherID == "T3")
            #expect(try await store.auditLog(schoolID: "S2", limit: 5).first?.detail == "school_admin teacher:T3")
        }
    }
}
