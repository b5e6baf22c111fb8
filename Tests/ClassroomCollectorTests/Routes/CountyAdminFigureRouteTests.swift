import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

/// The lesson figures of a prefecture of two counties (甲县: A1, A2; 乙县: B1, B2) — evaluations,
/// observation quotas, the patrol view log, the registry summary and the audit log: a county admin of
/// 乙县 reads its county's rows only (another county by name is 403), a bureau admin narrows with
/// `county=`, an unknown county is 404 naming the counties; lesson video (patrol rooms, opening a
/// patrol, evaluating) stays refused to the county admin.
///
/// Fixture, by hand: the observer `yan` patrols lesson OA (A1) and OB (B1) for 12 minutes each this
/// week, and evaluates both; principals PA (A1) and PB (B1). So the week's observation report lists
/// PA and PB for the bureau, PA with coverage A1 of 2 schools for 甲县, PB with B1 of 2 for 乙县.
@Suite("County admin: lesson figures, registry and audit scoped to its county")
struct CountyAdminFigureRouteTests {
    static let jia = "%E7%94%B2%E5%8E%BF"
    static let bing = "%E4%B8%99%E5%8E%BF"

    static func seed(_ store: any CollectorStore, now: Int64) async throws {
        var registry = CoveragePrefectureRouteTests.registry()
        registry.teachers = [
            Teacher(id: "PA", schoolID: "A1", name: "甲校长", subjects: ["语文"], position: .principal),
            Teacher(id: "PB", schoolID: "B1", name: "乙校长", subjects: ["数学"], position: .principal),
        ]
        _ = try await store.replaceRegistry(registry, audit: CoveragePrefectureRouteTests.audit)
        for (order, school, hoursAgo) in [("OA", "A1", Int64(2)), ("OB", "B1", 1)] {
            try await store.insertSpotCheckOrder(
                SpotCheckOrderRecord(
                    id: order, week: "2026-W39", source: "now", position: 0, round: 1, teacherID: "T-\(school)",
                    teacherName: "老师\(school)", schoolID: school, roomID: "\(school)-1", weekday: 1, startMinute: 600,
                    endMinute: 640, subject: "语文", lessonStart: now - hoursAgo * 3_600_000,
                    lessonEnd: now - hoursAgo * 3_600_000 + 2_400_000, createdAt: 0),
                audit: CoveragePrefectureRouteTests.audit)
            let start = LessonViewStart(
                orderID: order, viewer: "user:yan", viewerName: "yan", viewerRole: .observer, viewerSchoolID: nil,
                schoolID: school, roomID: "\(school)-1", mode: .patrol)
            let at = now - hoursAgo * 3_600_000
            let audit = AuditEntry(
                at: at, actor: "user:yan", action: "lesson.view", target: "spotcheck_order:\(order)", schoolID: school,
                detail: "patrol view of room \(school)-1")
            _ = try await store.touchLessonView(start, at: at, idleMillis: 30_000, audit: audit)
            _ = try await store.touchLessonView(start, at: at + 12 * 60_000, idleMillis: 13 * 60_000, audit: audit)
            _ = try await store.saveLessonEvaluation(
                LessonEvaluationDraft(
                    orderID: order, evaluator: "user:yan", evaluatorName: "yan", evaluatorRole: .observer, schoolID: school,
                    teacherID: "T-\(school)", scores: ["objectives": 4, "process": 4, "technology": 3, "effect": 4],
                    comment: "好"),
                at: at + 13 * 60_000, editableMillis: 86_400_000,
                audit: AuditEntry(
                    at: at + 13 * 60_000, actor: "user:yan", action: "evaluation.save", target: "lesson:\(order)",
                    schoolID: school, detail: ""))
        }
    }

    static func list(_ answer: Answer, _ key: String, _ field: String) -> [String] {
        ((answer.json[key] as? [[String: Any]]) ?? []).compactMap { $0[field] as? String }.sorted()
    }

    static func coverage(_ answer: Answer) -> (schools: Int?, observed: [String]) {
        let c = answer.json["coverage"] as? [String: Any]
        return (c?["schools"] as? Int, (c?["observed"] as? [String]) ?? [])
    }

    @Test("a county admin reads its county's figures only", arguments: StoreKind.allCases)
    func countyAdmin(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await Self.seed(store, now: h.clock.now)
            let yi = try await CountyAdminTests.token(store, county: "乙县")
            try await h.application().test(.router) { client in
                let mine = try await client.call(.get, "/api/v1/lessons/OB/evaluations", token: yi)
                #expect(mine.status == .ok, "\(mine.text)")
                #expect(Self.list(mine, "evaluations", "school_id") == ["B1"])
                let other = try await client.call(.get, "/api/v1/lessons/OA/evaluations", token: yi)
                #expect(other.status == .forbidden)
                #expect(other.error?.message.contains("lesson 'OA' is not in your county") == true, "\(other.text)")
                let evaluate = try await client.call(
                    .put, "/api/v1/lessons/OB/evaluation", token: yi,
                    json: ["scores": ["objectives": 3, "process": 3, "technology": 3, "effect": 3], "comment": "x"])
                #expect(evaluate.status == .forbidden, "\(evaluate.text)")

                let observation = try await client.call(.get, "/api/v1/observation", token: yi)
                #expect(observation.status == .ok, "\(observation.text)")
                #expect(Self.list(observation, "principals", "teacher_id") == ["PB"])
                #expect(Self.coverage(observation).schools == 2)
                #expect(Self.coverage(observation).observed == ["B1"])

                let views = try await client.call(.get, "/api/v1/patrol/views", token: yi)
                #expect(views.status == .ok, "\(views.text)")
                #expect(Self.list(views, "views", "order_id") == ["OB"])

                let registry = try await client.call(.get, "/api/v1/registry", token: yi)
                #expect(registry.status == .ok, "\(registry.text)")
                #expect(registry.json["schools"] as? Int == 2)
                #expect((registry.json["counties"] as? [String: Int]) == ["乙县": 2])

                let audit = try await client.call(.get, "/api/v1/audit", token: yi)
                #expect(audit.status == .ok, "\(audit.text)")
                let schools = Set(
                    ((audit.json["entries"] as? [[String: Any]]) ?? []).map { ($0["school_id"] as? String) ?? "none" })
                #expect(schools == ["B1"], "\(audit.text)")

                // Another county by name is 403 on every one of these routes.
                for path in [
                    "/api/v1/observation", "/api/v1/patrol/views", "/api/v1/registry", "/api/v1/audit",
                ] {
                    let refused = try await client.call(.get, path + "?county=\(Self.jia)", token: yi)
                    #expect(refused.status == .forbidden, "\(path): \(refused.text)")
                    #expect(refused.error?.message.contains("county '甲县' is not yours") == true, "\(path)")
                    let own = try await client.call(.get, path + "?county=%E4%B9%99%E5%8E%BF", token: yi)
                    #expect(own.status == .ok, "\(path): \(own.text)")
                }
                // Video: the rooms to patrol and opening a patrol stay refused.
                #expect(try await client.call(.get, "/api/v1/patrol", token: yi).status == .forbidden)
                let open = try await client.call(.post, "/api/v1/patrol", token: yi, json: ["room_id": "B1-1"])
                #expect(open.status == .forbidden)
            }
        }
    }

    @Test("county= narrows a bureau user's figures; an unknown county is 404", arguments: StoreKind.allCases)
    func countyFilter(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await Self.seed(store, now: h.clock.now)
            let admin = h.adminToken
            try await h.application().test(.router) { client in
                let all = try await client.call(.get, "/api/v1/observation", token: admin)
                #expect(Self.list(all, "principals", "teacher_id") == ["PA", "PB"])
                #expect(Self.coverage(all).schools == 4)
                #expect(Self.coverage(all).observed == ["A1", "B1"])
                let jia = try await client.call(.get, "/api/v1/observation?county=\(Self.jia)", token: admin)
                #expect(jia.status == .ok, "\(jia.text)")
                #expect(Self.list(jia, "principals", "teacher_id") == ["PA"])
                #expect(Self.coverage(jia).schools == 2)
                #expect(Self.coverage(jia).observed == ["A1"])

                #expect(
                    Self.list(try await client.call(.get, "/api/v1/patrol/views", token: admin), "views", "order_id") == [
                        "OA", "OB",
                    ])
                let views = try await client.call(.get, "/api/v1/patrol/views?county=\(Self.jia)", token: admin)
                #expect(Self.list(views, "views", "order_id") == ["OA"])

                let registry = try await client.call(.get, "/api/v1/registry?county=\(Self.jia)", token: admin)
                #expect(registry.json["schools"] as? Int == 2)
                #expect((registry.json["counties"] as? [String: Int]) == ["甲县": 2])
                #expect(try await client.call(.get, "/api/v1/registry", token: admin).json["schools"] as? Int == 4)

                let audit = try await client.call(.get, "/api/v1/audit?county=\(Self.jia)", token: admin)
                let targets = Set(((audit.json["entries"] as? [[String: Any]]) ?? []).compactMap { $0["target"] as? String })
                #expect(targets == ["lesson:OA", "spotcheck_order:OA"], "\(audit.text)")
                let auditor = try await client.token(.auditor, admin: admin)
                let audited = try await client.call(.get, "/api/v1/audit?county=\(Self.jia)", token: auditor)
                #expect(audited.status == .ok)
                #expect(
                    Set(((audited.json["entries"] as? [[String: Any]]) ?? []).compactMap { $0["school_id"] as? String })
                        == ["A1"])

                let patrol = try await client.call(.get, "/api/v1/patrol?county=\(Self.jia)", token: admin)
                #expect(patrol.status == .ok, "\(patrol.text)")

                // A school admin's scope stays its school whatever the county asked.
                let b1 = try await client.token(.schoolAdmin, school: "B1", admin: admin)
                let none = try await client.call(.get, "/api/v1/patrol/views?county=\(Self.jia)", token: b1)
                #expect(none.status == .ok)
                #expect(Self.list(none, "views", "order_id").isEmpty)

                for path in [
                    "/api/v1/observation", "/api/v1/patrol", "/api/v1/patrol/views", "/api/v1/registry", "/api/v1/audit",
                ] {
                    let unknown = try await client.call(.get, path + "?county=\(Self.bing)", token: admin)
                    #expect(unknown.status == .notFound, "\(path): \(unknown.text)")
                    #expect(
                        unknown.error?.message.contains("query 'county': no school in county '丙县' (counties: 甲县, 乙县)") == true,
                        "\(path): \(unknown.text)")
                    #expect(try await client.call(.get, path + "?county=", token: admin).status == .badRequest, "\(path)")
                }
            }
        }
    }
}
