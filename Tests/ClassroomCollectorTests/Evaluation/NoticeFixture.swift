import ClassroomCore

@testable import ClassroomCollector

/// Four called lessons of week 2026-W48 in the test registry (S1, S2), all over by `now`:
/// - `n1` S1 张伟: streamed the whole lesson (conducted), two evaluations (4,5,3,4) and (5,5,4,4);
/// - `n2` S1 李娜: no device in the room (device offline: followed up);
/// - `n3` S2 王芳: excused (外出教研);
/// - `n4` S2 王芳: streamed (conducted), one evaluation (2,2,3,2): followed up for low scores; its
///   subject is `=SUM(A1)` (a formula to the CSV writer).
///
/// Hand-computed: means objectives (4+5+2)/3 = 3.67, process (5+5+2)/3 = 4.00, technology
/// (3+4+3)/3 = 3.33, effect (4+4+2)/3 = 3.33; n4 below 3: objectives 2, process 2, effect 2.
enum NoticeFixture {
    static let week = "2026-W48"
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")

    static func populate(_ store: any CollectorStore, now: Int64, excuse: String = "外出教研") async throws {
        let hour: Int64 = 3_600_000
        let lessons: [(String, String, String, String, String, String, Int64)] = [
            ("n1", "S1", "R2", "T1", "张伟", "英语", 48),
            ("n2", "S1", "R1", "T2", "李娜", "语文", 47),
            ("n3", "S2", "R3", "T3", "王芳", "数学", 46),
            ("n4", "S2", "R3", "T3", "王芳", "=SUM(A1)", 45),
        ]
        for (i, (id, school, room, teacher, name, subject, hoursAgo)) in lessons.enumerated() {
            let start = now - hoursAgo * hour
            try await store.insertSpotCheckOrder(
                SpotCheckOrderRecord(
                    id: id, week: week, source: "now", position: i, round: 1, teacherID: teacher, teacherName: name,
                    schoolID: school, roomID: room, weekday: i + 1, startMinute: 480, endMinute: 520, subject: subject,
                    lessonStart: start, lessonEnd: start + 2_400_000, createdAt: start - hour),
                audit: audit)
        }
        for id in ["n1", "n4"] {
            let o = try await store.spotCheckOrder(id: id)!
            _ = try await store.startSpotCheckPublish(orderID: id, at: o.lessonStart, addr: "127.0.0.1")
            _ = try await store.endSpotCheckPublish(orderID: id, at: o.lessonEnd)
        }
        _ = try await store.claimSpotCheckDispatch(
            orderID: "n2", dispatch: SpotCheckDispatch(deviceID: nil, commandID: nil, streamKeyHash: nil, note: "no_device"),
            at: now - 47 * hour)
        _ = try await store.excuseSpotCheckOrder(id: "n3", reason: excuse, by: "token:admin", at: now - 40 * hour, audit: audit)
        let evaluations: [(String, String, [Int])] = [
            ("n1", "ann", [4, 5, 3, 4]), ("n1", "bob", [5, 5, 4, 4]), ("n4", "ann", [2, 2, 3, 2]),
        ]
        for (order, who, s) in evaluations {
            let o = try await store.spotCheckOrder(id: order)!
            _ = try await store.saveLessonEvaluation(
                LessonEvaluationDraft(
                    orderID: order, evaluator: "user:\(who)", evaluatorName: who, evaluatorRole: .observer,
                    schoolID: o.schoolID, teacherID: o.teacherID,
                    scores: ["objectives": s[0], "process": s[1], "technology": s[2], "effect": s[3]], comment: ""),
                at: now - hour, editableMillis: 7 * 86_400_000, audit: audit)
        }
    }
}
