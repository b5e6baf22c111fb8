import ClassroomCore
import Testing

@testable import ClassroomCollector

/// Lesson evaluations on both stores: one per viewer per lesson, edits inside the window, read-only
/// after it, an audit entry for every create and edit and none for a refused edit.
@Suite("Lesson evaluation store")
struct EvaluationStoreTests {
    static let week: Int64 = 7 * 86_400_000

    static func draft(_ who: String, order: String = "o1", objectives: Int = 4, comment: String = "好") -> LessonEvaluationDraft {
        LessonEvaluationDraft(
            orderID: order, evaluator: "user:\(who)", evaluatorName: who, evaluatorRole: .observer, schoolID: "S1",
            teacherID: "T1", scores: ["objectives": objectives, "process": 3, "technology": 5, "effect": 2], comment: comment)
    }

    static func audit(_ who: String) -> AuditEntry {
        AuditEntry(at: 0, actor: "user:\(who)", action: "x", target: "lesson:o1", schoolID: "S1", detail: "d")
    }

    @Test("create, edit within the window, locked after it; one per viewer; audited", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let created = try await store.saveLessonEvaluation(
                Self.draft("ann"), at: 1_000, editableMillis: Self.week, audit: Self.audit("ann"))
            guard case .created(let first) = created else {
                Issue.record("expected created: \(created)")
                return
            }
            #expect(first.draft.scores["objectives"] == 4 && first.createdAt == 1_000)

            // The same viewer again inside the window: the same row, edited.
            let edited = try await store.saveLessonEvaluation(
                Self.draft("ann", objectives: 5, comment: "很好"), at: 1_000 + Self.week, editableMillis: Self.week,
                audit: Self.audit("ann"))
            guard case .updated(let second) = edited else {
                Issue.record("expected updated: \(edited)")
                return
            }
            #expect(second.id == first.id && second.createdAt == 1_000 && second.updatedAt == 1_000 + Self.week)

            // One millisecond after the window: nothing changes.
            let late = try await store.saveLessonEvaluation(
                Self.draft("ann", objectives: 1, comment: "改"), at: 1_001 + Self.week, editableMillis: Self.week,
                audit: Self.audit("ann"))
            guard case .locked(let kept) = late else {
                Issue.record("expected locked: \(late)")
                return
            }
            #expect(kept.draft.scores["objectives"] == 5 && kept.draft.comment == "很好")

            // Another viewer has its own evaluation; another lesson is separate.
            _ = try await store.saveLessonEvaluation(
                Self.draft("bob"), at: 2_000, editableMillis: Self.week, audit: Self.audit("bob"))
            _ = try await store.saveLessonEvaluation(
                Self.draft("ann", order: "o2"), at: 3_000, editableMillis: Self.week, audit: Self.audit("ann"))

            let o1 = try await store.lessonEvaluations(orderID: "o1")
            #expect(o1.map(\.draft.evaluator) == ["user:ann", "user:bob"])
            #expect(o1[0].draft.scores == ["objectives": 5, "process": 3, "technology": 5, "effect": 2])
            #expect(o1[0].draft.comment == "很好")
            let both = try await store.lessonEvaluations(orderIDs: ["o1", "o2", "none"])
            #expect(both.count == 3)
            #expect(try await store.lessonEvaluations(orderIDs: []).isEmpty)

            let audit = try await store.auditLog(filter: AuditFilter(), limit: 100, offset: 0)
            #expect(audit.filter { $0.action == "evaluation.create" }.count == 3)
            #expect(audit.filter { $0.action == "evaluation.update" }.map(\.at) == [1_000 + Self.week])
            #expect(audit.allSatisfy { $0.action != "x" })
        }
    }
}
