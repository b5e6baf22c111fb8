import ClassroomCore

/// Lesson evaluation (评课) as functions of the operator, shared by `/api/v1/lessons/{id}/evaluation…`
/// and the console's `/lessons/{id}/evaluation` (one copy of the authorization and the rules).
///
/// Who: ``OperatorPrincipal/mayWatchLesson(inSchool:)`` — bureau admins and observers county-wide, a
/// school admin for its own school's lessons (and so its own teachers' evaluations) — evaluate; a
/// county admin also reads the evaluations of its county's lessons (figures, never video: it neither
/// watches nor evaluates). What: an order
/// (spot-check `draw`/`now`, or a `patrol` view) whose stream has started; one evaluation per viewer,
/// editable for the rubric's ``EvaluationRubric/editDays`` after it was created.
struct EvaluationQueries: Sendable {
    let store: any CollectorStore
    let rubric: EvaluationRubric
    let now: @Sendable () -> Int64

    /// Who may read a lesson's evaluations: the evaluators and county admins (their county's lessons).
    static let readers: Set<OperatorRole> = OperatorPrincipal.lessonWatchers.union([.countyAdmin])

    /// One lesson's evaluations as `who` sees them (403 outside its scope, 404 for an unknown order).
    func lesson(_ who: OperatorPrincipal, orderID: String) async throws -> LessonEvaluationsView {
        let order = try await order(who, orderID, reading: true)
        let records = try await store.lessonEvaluations(orderID: order.id)
        let t = now()
        return LessonEvaluationsView(
            order: SpotCheckOrderView(order), evaluable: order.publishStartedAt != nil, rubric: rubric,
            evaluations: records.map { LessonEvaluationView($0, now: t, editableMillis: rubric.editableMillis) },
            mine: records.first { $0.draft.evaluator == who.actor }.map {
                LessonEvaluationView($0, now: t, editableMillis: rubric.editableMillis)
            })
    }

    /// Creates or edits `who`'s evaluation: 400 naming the field for a bad form, 409 before the lesson
    /// streamed or after the edit window; nothing is stored then.
    func submit(_ who: OperatorPrincipal, orderID: String, scores: [String: String], comment: String) async throws
        -> EvaluationSaveOutcome
    {
        let order = try await order(who, orderID)
        let checked: [String: Int]
        do {
            checked = try rubric.validate(scores: scores, comment: comment)
        } catch {
            throw APIError.badRequest(error.description)
        }
        guard order.publishStartedAt != nil else {
            throw APIError.conflict("lesson '\(order.id)' has not been streamed; only a conducted lesson is evaluated")
        }
        let t = now()
        let draft = LessonEvaluationDraft(
            orderID: order.id, evaluator: who.actor, evaluatorName: who.name, evaluatorRole: who.role,
            schoolID: order.schoolID, teacherID: order.teacherID, scores: checked, comment: comment)
        let detail = rubric.items.map { "\($0.key)=\(checked[$0.key] ?? 0)" }.joined(separator: " ")
        let outcome = try await store.saveLessonEvaluation(
            draft, at: t, editableMillis: rubric.editableMillis,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "evaluation.save", target: "lesson:\(order.id)", schoolID: order.schoolID,
                detail: detail))
        if case .locked = outcome {
            throw APIError.conflict(
                "the evaluation of lesson '\(order.id)' is read-only: it may be edited for \(rubric.editDays) days after it was made"
            )
        }
        return outcome
    }

    /// The order `id` when `who` may evaluate it (or, `reading`, read its evaluations): 404 when
    /// unknown, 403 outside `who`'s school or county.
    func order(_ who: OperatorPrincipal, _ id: String, reading: Bool = false) async throws -> SpotCheckOrderRecord {
        try who.require(reading ? Self.readers : OperatorPrincipal.lessonWatchers)
        guard id.utf8.count <= 200, let order = try await store.spotCheckOrder(id: id), !order.isSelfTest else {
            throw APIError.notFound("no lesson '\(id.prefix(200))'")
        }
        let allowed =
            who.role == .countyAdmin ? who.mayAccess(school: order.schoolID) : who.mayWatchLesson(inSchool: order.schoolID)
        guard allowed else {
            throw APIError.forbidden("lesson '\(id)' is not in your \(who.role == .countyAdmin ? "county" : "school")")
        }
        return order
    }
}

/// `GET /api/v1/lessons/{id}/evaluations`.
struct LessonEvaluationsView: Codable, Sendable {
    var order: SpotCheckOrderView
    /// Whether the lesson may be evaluated (its stream started).
    var evaluable: Bool
    var rubric: EvaluationRubric
    var evaluations: [LessonEvaluationView]
    /// The caller's own evaluation, if any.
    var mine: LessonEvaluationView?
}

/// One evaluation in an answer.
struct LessonEvaluationView: Codable, Sendable {
    var id: Int64
    var orderID: String
    var evaluator: String
    var evaluatorName: String
    var evaluatorRole: String
    var teacherID: String
    var schoolID: String
    var scores: [String: Int]
    var comment: String
    var createdAt: Int64
    var updatedAt: Int64
    var editable: Bool

    init(_ r: LessonEvaluationRecord, now: Int64, editableMillis: Int64) {
        id = r.id
        orderID = r.draft.orderID
        evaluator = r.draft.evaluator
        evaluatorName = r.draft.evaluatorName
        evaluatorRole = r.draft.evaluatorRole.rawValue
        teacherID = r.draft.teacherID
        schoolID = r.draft.schoolID
        scores = r.draft.scores
        comment = r.draft.comment
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        editable = r.editable(at: now, editableMillis: editableMillis)
    }

    enum CodingKeys: String, CodingKey {
        case id, evaluator, scores, comment, editable
        case orderID = "order_id"
        case evaluatorName = "evaluator_name"
        case evaluatorRole = "evaluator_role"
        case teacherID = "teacher_id"
        case schoolID = "school_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
