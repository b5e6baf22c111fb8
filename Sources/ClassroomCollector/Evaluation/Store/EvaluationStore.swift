import Foundation

/// Lesson evaluations (评课): one per viewer per lesson (order id), editable for a while, every
/// create and edit audited. Both stores implement it; one conformance suite checks both.
///
/// - Important: every method is one transaction; times are milliseconds on the collector's clock.
public protocol EvaluationStore: Sendable {
    /// Stores `draft` as the evaluator's evaluation of its lesson: a new one (audit action
    /// `evaluation.create`), or an edit of the existing one (`evaluation.update`) when it was created
    /// at or after `at - editableMillis`; otherwise nothing is written and the stored one is returned
    /// as ``EvaluationSaveOutcome/locked(_:)``. `audit` gives the entry's actor, target, school and
    /// detail; the store sets its action and time.
    func saveLessonEvaluation(_ draft: LessonEvaluationDraft, at: Int64, editableMillis: Int64, audit: AuditEntry) async throws
        -> EvaluationSaveOutcome
    /// The evaluations of one lesson, oldest first.
    func lessonEvaluations(orderID: String) async throws -> [LessonEvaluationRecord]
    /// The evaluations of several lessons (a week's notice), by lesson then oldest first.
    func lessonEvaluations(orderIDs: [String]) async throws -> [LessonEvaluationRecord]
}

/// What a viewer submits about one lesson.
public struct LessonEvaluationDraft: Sendable, Hashable {
    public var orderID: String
    /// The audit actor of the evaluator (`user:NAME`, `token:ID`): one evaluation per actor per lesson.
    public var evaluator: String
    public var evaluatorName: String
    public var evaluatorRole: OperatorRole
    /// The lesson's school and teacher (so a school admin can list its teachers' evaluations).
    public var schoolID: String
    public var teacherID: String
    /// Scores by rubric item key.
    public var scores: [String: Int]
    public var comment: String

    public init(
        orderID: String, evaluator: String, evaluatorName: String, evaluatorRole: OperatorRole, schoolID: String,
        teacherID: String, scores: [String: Int], comment: String
    ) {
        self.orderID = orderID
        self.evaluator = evaluator
        self.evaluatorName = evaluatorName
        self.evaluatorRole = evaluatorRole
        self.schoolID = schoolID
        self.teacherID = teacherID
        self.scores = scores
        self.comment = comment
    }
}

/// One stored evaluation.
public struct LessonEvaluationRecord: Sendable, Hashable {
    public var id: Int64
    public var draft: LessonEvaluationDraft
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: Int64, draft: LessonEvaluationDraft, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.draft = draft
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether it may still be edited at `now`.
    public func editable(at now: Int64, editableMillis: Int64) -> Bool { now - createdAt <= editableMillis }
}

/// What became of a ``EvaluationStore/saveLessonEvaluation(_:at:editableMillis:audit:)``.
public enum EvaluationSaveOutcome: Sendable, Hashable {
    case created(LessonEvaluationRecord)
    case updated(LessonEvaluationRecord)
    /// The edit window is over: the stored evaluation, unchanged.
    case locked(LessonEvaluationRecord)

    public var record: LessonEvaluationRecord {
        switch self {
        case .created(let r), .updated(let r), .locked(let r): r
        }
    }
}

/// The evaluations' table (after the view log's migration).
enum EvaluationSchema {
    static let migration = CollectorSchema.Migration(
        name: "v530-evaluations",
        statements: [
            """
            CREATE TABLE lesson_evaluations (id {SERIAL}, order_id TEXT NOT NULL, evaluator TEXT NOT NULL,
              evaluator_name TEXT NOT NULL, evaluator_role TEXT NOT NULL, school_id TEXT NOT NULL, teacher_id TEXT NOT NULL,
              scores TEXT NOT NULL, comment TEXT NOT NULL, created_at {INT} NOT NULL, updated_at {INT} NOT NULL,
              UNIQUE (order_id, evaluator))
            """,
            "CREATE INDEX lesson_evaluations_school ON lesson_evaluations (school_id, created_at)",
            // Console users linked to a registry teacher (a principal's views count for that teacher).
            "ALTER TABLE console_users ADD COLUMN teacher_id TEXT",
            // The registry's optional position of a teacher (principal, vice_principal).
            "ALTER TABLE teachers ADD COLUMN position TEXT",
        ])

    /// Scores as stored: a JSON object with sorted keys.
    static func encode(_ scores: [String: Int]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(scores)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decode(_ text: String) -> [String: Int] {
        (try? JSONDecoder().decode([String: Int].self, from: Data(text.utf8))) ?? [:]
    }

    static func audit(_ base: AuditEntry, _ action: String, at: Int64) -> AuditEntry {
        var entry = base
        entry.action = action
        entry.at = at
        return entry
    }
}
