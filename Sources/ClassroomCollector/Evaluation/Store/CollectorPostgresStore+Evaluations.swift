import Logging
import PostgresNIO

extension CollectorPostgresStore {
    public func saveLessonEvaluation(
        _ draft: LessonEvaluationDraft, at: Int64, editableMillis: Int64, audit: AuditEntry
    ) async throws -> EvaluationSaveOutcome {
        let logger = logger
        return try await transaction { c in
            // Two submissions of one viewer at once: the advisory lock on (order, evaluator) makes the
            // second see the first's row and edit it rather than fail on the unique key.
            let key = "evaluation|\(draft.orderID)|\(draft.evaluator)"
            try await c.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
            var existing: LessonEvaluationRecord?
            for try await row in try await c.query(
                "SELECT * FROM lesson_evaluations WHERE order_id = \(draft.orderID) AND evaluator = \(draft.evaluator)",
                logger: logger)
            {
                existing = try Self.evaluation(row.makeRandomAccess())
            }
            let scores = EvaluationSchema.encode(draft.scores)
            let role = draft.evaluatorRole.rawValue
            if var record = existing {
                guard record.editable(at: at, editableMillis: editableMillis) else { return .locked(record) }
                try await c.query(
                    """
                    UPDATE lesson_evaluations SET scores = \(scores), comment = \(draft.comment),
                      evaluator_name = \(draft.evaluatorName), evaluator_role = \(role), updated_at = \(at) WHERE id = \(record.id)
                    """, logger: logger)
                try await Self.audit(c, EvaluationSchema.audit(audit, "evaluation.update", at: at), logger: logger)
                record.draft = draft
                record.updatedAt = at
                return .updated(record)
            }
            var id: Int64 = 0
            for try await n in try await c.query(
                """
                INSERT INTO lesson_evaluations (order_id, evaluator, evaluator_name, evaluator_role, school_id, teacher_id,
                  scores, comment, created_at, updated_at) VALUES (\(draft.orderID), \(draft.evaluator), \(draft.evaluatorName),
                  \(role), \(draft.schoolID), \(draft.teacherID), \(scores), \(draft.comment), \(at), \(at))
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) { id = n }
            try await Self.audit(c, EvaluationSchema.audit(audit, "evaluation.create", at: at), logger: logger)
            return .created(LessonEvaluationRecord(id: id, draft: draft, createdAt: at, updatedAt: at))
        }
    }

    public func lessonEvaluations(orderID: String) async throws -> [LessonEvaluationRecord] {
        try await lessonEvaluations(orderIDs: [orderID])
    }

    public func lessonEvaluations(orderIDs: [String]) async throws -> [LessonEvaluationRecord] {
        guard !orderIDs.isEmpty else { return [] }
        return try await rows(
            "SELECT * FROM lesson_evaluations WHERE order_id = ANY(\(orderIDs)) ORDER BY order_id, created_at, id"
        ).map(Self.evaluation)
    }

    static func evaluation(_ r: PostgresRandomAccessRow) throws -> LessonEvaluationRecord {
        LessonEvaluationRecord(
            id: try r["id"].decode(Int64.self),
            draft: LessonEvaluationDraft(
                orderID: try r["order_id"].decode(String.self), evaluator: try r["evaluator"].decode(String.self),
                evaluatorName: try r["evaluator_name"].decode(String.self),
                evaluatorRole: OperatorRole(rawValue: try r["evaluator_role"].decode(String.self)) ?? .observer,
                schoolID: try r["school_id"].decode(String.self), teacherID: try r["teacher_id"].decode(String.self),
                scores: EvaluationSchema.decode(try r["scores"].decode(String.self)),
                comment: try r["comment"].decode(String.self)),
            createdAt: try r["created_at"].decode(Int64.self), updatedAt: try r["updated_at"].decode(Int64.self))
    }
}
