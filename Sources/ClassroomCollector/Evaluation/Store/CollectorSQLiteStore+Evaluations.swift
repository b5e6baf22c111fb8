import GRDB

extension CollectorSQLiteStore {
    public func saveLessonEvaluation(
        _ draft: LessonEvaluationDraft, at: Int64, editableMillis: Int64, audit: AuditEntry
    ) async throws -> EvaluationSaveOutcome {
        try await pool.write { db in
            let existing = try Row.fetchOne(
                db, sql: "SELECT * FROM lesson_evaluations WHERE order_id = ? AND evaluator = ?",
                arguments: [draft.orderID, draft.evaluator]
            ).map(Self.evaluation)
            let scores = EvaluationSchema.encode(draft.scores)
            if var record = existing {
                guard record.editable(at: at, editableMillis: editableMillis) else { return .locked(record) }
                try db.execute(
                    sql: """
                        UPDATE lesson_evaluations SET scores = ?, comment = ?, evaluator_name = ?, evaluator_role = ?, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [scores, draft.comment, draft.evaluatorName, draft.evaluatorRole.rawValue, at, record.id])
                try Self.insertAudit(db, EvaluationSchema.audit(audit, "evaluation.update", at: at))
                record.draft = draft
                record.updatedAt = at
                return .updated(record)
            }
            try db.execute(
                sql: """
                    INSERT INTO lesson_evaluations (order_id, evaluator, evaluator_name, evaluator_role, school_id, teacher_id,
                      scores, comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    draft.orderID, draft.evaluator, draft.evaluatorName, draft.evaluatorRole.rawValue, draft.schoolID,
                    draft.teacherID, scores, draft.comment, at, at,
                ])
            try Self.insertAudit(db, EvaluationSchema.audit(audit, "evaluation.create", at: at))
            return .created(LessonEvaluationRecord(id: db.lastInsertedRowID, draft: draft, createdAt: at, updatedAt: at))
        }
    }

    public func lessonEvaluations(orderID: String) async throws -> [LessonEvaluationRecord] {
        try await lessonEvaluations(orderIDs: [orderID])
    }

    public func lessonEvaluations(orderIDs: [String]) async throws -> [LessonEvaluationRecord] {
        guard !orderIDs.isEmpty else { return [] }
        return try await pool.read { db in
            let marks = Array(repeating: "?", count: orderIDs.count).joined(separator: ",")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM lesson_evaluations WHERE order_id IN (\(marks)) ORDER BY order_id, created_at, id",
                arguments: StatementArguments(orderIDs)
            ).map(Self.evaluation)
        }
    }

    static func evaluation(_ row: Row) -> LessonEvaluationRecord {
        LessonEvaluationRecord(
            id: row["id"],
            draft: LessonEvaluationDraft(
                orderID: row["order_id"], evaluator: row["evaluator"], evaluatorName: row["evaluator_name"],
                evaluatorRole: OperatorRole(rawValue: row["evaluator_role"]) ?? .observer, schoolID: row["school_id"],
                teacherID: row["teacher_id"], scores: EvaluationSchema.decode(row["scores"]), comment: row["comment"]),
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
