import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// `/lessons/{id}/evaluation` and `/api/v1/lessons/{id}/evaluation(s)`: who may evaluate which lesson,
/// bad forms refused naming the field with nothing stored, the 7-day window, one per viewer.
@Suite("Lesson evaluation routes")
struct EvaluationRouteTests {
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")

    /// A streamed lesson of teacher T1 in S1 (`o-s1`), one of T3 in S2 (`o-s2`), one never streamed (`o-dark`).
    static func lessons(_ store: any CollectorStore, at t: Int64) async throws {
        for (id, school, room, teacher, streamed) in [
            ("o-s1", "S1", "R2", "T1", true), ("o-s2", "S2", "R3", "T3", true), ("o-dark", "S1", "R1", "T2", false),
        ] {
            try await store.insertSpotCheckOrder(
                SpotCheckOrderRecord(
                    id: id, week: "2026-W39", source: "now", position: 0, round: 0, teacherID: teacher,
                    teacherName: "教师\(teacher)", schoolID: school, roomID: room, weekday: 1, startMinute: 480,
                    endMinute: 520, subject: "语文", lessonStart: t - 3_600_000, lessonEnd: t - 600_000, createdAt: t - 3_600_000),
                audit: audit)
            if streamed { _ = try await store.startSpotCheckPublish(orderID: id, at: t - 3_500_000, addr: "127.0.0.1") }
        }
    }

    static let good = [
        "score.objectives": "4", "score.process": "5", "score.technology": "3", "score.effect": "4", "comment": "板书清晰",
    ]

    @Test("console form: create, edit, refusals naming the field, read-only after 7 days, scope", arguments: StoreKind.allCases)
    func consoleRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await Self.lessons(store, at: h.clock.now)
            let observer = try await ConsolePagesRouteTests.token(store, .observer)
            let principalS2 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S2")
            let viewer = try await ConsolePagesRouteTests.token(store, .bureauViewer)
            try await h.application().test(.router) { client in
                let s = try await ConsoleTestSession.signIn(client, token: observer)
                let empty = try await s.get(client, "/lessons/o-s1/evaluation")
                #expect(empty.status == .ok)
                #expect(empty.text.contains("教学目标") && empty.text.contains("信息技术应用"))
                #expect(empty.text.contains("id=\"evaluation-submit\""))

                // Refusals: each names its field; nothing is stored.
                var bad = Self.good
                bad["csrf"] = s.csrf
                bad["score.effect"] = "6"
                let outOfRange = try await s.post(client, "/lessons/o-s1/evaluation", bad)
                #expect(outOfRange.status == .badRequest)
                #expect(outOfRange.text.contains("score.effect"))
                bad["score.effect"] = "4"
                bad["score.charisma"] = "5"
                let unknown = try await s.post(client, "/lessons/o-s1/evaluation", bad)
                #expect(unknown.status == .badRequest && unknown.text.contains("score.charisma"))
                bad["score.charisma"] = nil
                bad["comment"] = String(repeating: "长", count: 2001)
                let long = try await s.post(client, "/lessons/o-s1/evaluation", bad)
                #expect(long.status == .badRequest && long.text.contains("comment"))
                bad["comment"] = "x"
                bad["score.process"] = nil
                let missing = try await s.post(client, "/lessons/o-s1/evaluation", bad)
                #expect(missing.status == .badRequest && missing.text.contains("score.process"))
                #expect(try await store.lessonEvaluations(orderID: "o-s1").isEmpty)
                // Without the CSRF field: 403, nothing stored.
                #expect(try await s.post(client, "/lessons/o-s1/evaluation", Self.good).status == .forbidden)

                var form = Self.good
                form["csrf"] = s.csrf
                let saved = try await s.post(client, "/lessons/o-s1/evaluation", form)
                #expect(saved.status == .seeOther)
                #expect(saved.headers[.location] == "/lessons/o-s1/evaluation?done=saved")
                form["score.objectives"] = "2"
                form["comment"] = "目标不够明确"
                // Six days later (a new session: the old one idled out), still editable.
                h.clock.advance(seconds: 6 * 86_400)
                let s6 = try await ConsoleTestSession.signIn(client, token: observer)
                form["csrf"] = s6.csrf
                #expect(try await s6.post(client, "/lessons/o-s1/evaluation", form).status == .seeOther)
                let stored = try await store.lessonEvaluations(orderID: "o-s1")
                #expect(stored.count == 1)
                #expect(stored.first?.draft.scores["objectives"] == 2 && stored.first?.draft.comment == "目标不够明确")
                let page = try await s6.get(client, "/lessons/o-s1/evaluation")
                #expect(page.text.contains("目标不够明确"))

                // Eight days after it was made: read-only, the edit refused with 409.
                h.clock.advance(seconds: 2 * 86_400)
                let s2 = try await ConsoleTestSession.signIn(client, token: observer)
                form["csrf"] = s2.csrf
                form["score.objectives"] = "5"
                let late = try await s2.post(client, "/lessons/o-s1/evaluation", form)
                #expect(late.status == .conflict)
                #expect(try await store.lessonEvaluations(orderID: "o-s1").first?.draft.scores["objectives"] == 2)
                let locked = try await s2.get(client, "/lessons/o-s1/evaluation")
                #expect(locked.text.contains("id=\"eval-locked\"") && !locked.text.contains("id=\"evaluation-submit\""))

                // A lesson that never streamed cannot be evaluated.
                let dark = try await s2.post(client, "/lessons/o-dark/evaluation", form)
                #expect(dark.status == .conflict)
                #expect(try await s2.get(client, "/lessons/o-dark/evaluation").text.contains("eval-not-evaluable"))
                #expect(try await s2.get(client, "/lessons/nope/evaluation").status == .notFound)

                // S2's principal: S1's lesson does not exist; its own lesson does, with no S1 evaluations.
                let p = try await ConsoleTestSession.signIn(client, token: principalS2)
                #expect(try await p.get(client, "/lessons/o-s1/evaluation").status == .notFound)
                var pform = Self.good
                pform["csrf"] = p.csrf
                #expect(try await p.post(client, "/lessons/o-s1/evaluation", pform).status == .notFound)
                #expect(try await p.get(client, "/lessons/o-s2/evaluation").status == .ok)
                // A bureau viewer never evaluates.
                let v = try await ConsoleTestSession.signIn(client, token: viewer)
                #expect(try await v.get(client, "/lessons/o-s1/evaluation").status == .forbidden)

                let audit = try await store.auditLog(filter: AuditFilter(), limit: 100, offset: 0)
                #expect(audit.filter { $0.action == "evaluation.create" && $0.target == "lesson:o-s1" }.count == 1)
                #expect(audit.filter { $0.action == "evaluation.update" }.count == 1)
            }
        }
    }

    @Test("API: PUT creates then edits, 400 names the field, 403 outside the school, GET lists", arguments: [StoreKind.sqlite])
    func api(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await Self.lessons(store, at: h.clock.now)
            let principalS1 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S1")
            let auditor = try await ConsolePagesRouteTests.token(store, .auditor)
            try await h.application().test(.router) { client in
                let scores: [String: Any] = ["objectives": 4, "process": 4, "technology": 5, "effect": 3]
                let created = try await client.call(
                    .put, "/api/v1/lessons/o-s1/evaluation", token: h.adminToken, json: ["scores": scores, "comment": "好"])
                #expect(created.status == .created)
                #expect(created.json["editable"] as? Bool == true)
                let edited = try await client.call(
                    .put, "/api/v1/lessons/o-s1/evaluation", token: h.adminToken, json: ["scores": scores, "comment": "很好"])
                #expect(edited.status == .ok)
                var bad = scores
                bad["process"] = 0
                let zero = try await client.call(
                    .put, "/api/v1/lessons/o-s1/evaluation", token: h.adminToken, json: ["scores": bad])
                #expect(zero.status == .badRequest)
                #expect(zero.error?.message.contains("score.process") == true)
                bad["process"] = 4.5
                let half = try await client.call(
                    .put, "/api/v1/lessons/o-s1/evaluation", token: h.adminToken, json: ["scores": bad])
                #expect(half.status == .badRequest && half.error?.message.contains("score.process") == true)
                let extra = try await client.call(
                    .put, "/api/v1/lessons/o-s1/evaluation", token: h.adminToken, json: ["scores": scores, "teacher": "x"])
                #expect(extra.status == .badRequest && extra.error?.message.contains("teacher") == true)

                let mine = try await client.call(.get, "/api/v1/lessons/o-s1/evaluations", token: principalS1)
                #expect(mine.status == .ok)
                let list = try #require(mine.json["evaluations"] as? [[String: Any]])
                #expect(list.map { $0["comment"] as? String } == ["很好"])
                #expect(mine.json["mine"] == nil)
                #expect(try await client.call(.get, "/api/v1/lessons/o-s2/evaluations", token: principalS1).status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/lessons/o-s1/evaluations", token: auditor).status == .forbidden)
                #expect(try await client.call(.get, "/api/v1/lessons/o-s1/evaluations").status == .unauthorized)
            }
        }
    }
}
