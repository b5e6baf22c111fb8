/// The lesson evaluation form (评课): the rubric's items, each scored on one whole-number scale, and
/// a free comment. Read from the observation profile (``ObservationProfile``); ``standard`` when none.
public struct EvaluationRubric: Codable, Sendable, Hashable {
    /// One scored item of the rubric.
    public struct Item: Codable, Sendable, Hashable {
        /// The form field and the key of the stored score (ASCII, such as `objectives`).
        public var key: String
        /// The Chinese label (教学目标) and the English one.
        public var zh: String
        public var en: String

        public init(key: String, zh: String, en: String) {
            self.key = key
            self.zh = zh
            self.en = en
        }

        public func label(english: Bool) -> String { english ? en : zh }
    }

    public var items: [Item]
    public var scaleMin: Int
    public var scaleMax: Int
    /// Longest comment, in characters.
    public var commentMax: Int
    /// Days after its creation during which an evaluation may be edited (read-only afterwards).
    public var editDays: Int
    /// A lesson whose mean score of any item is below this is followed up in the weekly notice.
    public var followUpBelow: Double

    enum CodingKeys: String, CodingKey {
        case items
        case scaleMin = "scale_min"
        case scaleMax = "scale_max"
        case commentMax = "comment_max"
        case editDays = "edit_days"
        case followUpBelow = "follow_up_below"
    }

    public init(items: [Item], scaleMin: Int, scaleMax: Int, commentMax: Int, editDays: Int, followUpBelow: Double) {
        self.items = items
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
        self.commentMax = commentMax
        self.editDays = editDays
        self.followUpBelow = followUpBelow
    }

    /// The default: 教学目标, 教学过程, 信息技术应用, 课堂效果, each 1–5; 7 days to edit.
    public static let standard = EvaluationRubric(
        items: [
            Item(key: "objectives", zh: "教学目标", en: "Teaching objectives"),
            Item(key: "process", zh: "教学过程", en: "Teaching process"),
            Item(key: "technology", zh: "信息技术应用", en: "Use of information technology"),
            Item(key: "effect", zh: "课堂效果", en: "Classroom effect"),
        ], scaleMin: 1, scaleMax: 5, commentMax: 2000, editDays: 7, followUpBelow: 3)

    /// The edit window in milliseconds.
    public var editableMillis: Int64 { Int64(editDays) * 86_400_000 }

    /// Checks a submitted form: every item present with a whole number on the scale, no field that
    /// is not an item, a comment no longer than ``commentMax``.
    ///
    /// - Returns: the scores by item key.
    /// - Throws: ``EvaluationInputError`` naming the first bad field (`score.KEY`, `comment`).
    public func validate(scores: [String: String], comment: String) throws(EvaluationInputError) -> [String: Int] {
        let known = Set(items.map(\.key))
        if let unknown = scores.keys.sorted().first(where: { !known.contains($0) }) {
            throw EvaluationInputError(field: "score.\(unknown)", message: "is not an item of the rubric")
        }
        var out: [String: Int] = [:]
        for item in items {
            guard let text = scores[item.key].map(Self.trimmed), !text.isEmpty else {
                throw EvaluationInputError(field: "score.\(item.key)", message: "is required (\(item.zh))")
            }
            guard let value = Int(text), (scaleMin...scaleMax).contains(value) else {
                throw EvaluationInputError(
                    field: "score.\(item.key)", message: "'\(text)' is not a whole number from \(scaleMin) to \(scaleMax)")
            }
            out[item.key] = value
        }
        guard comment.count <= commentMax else {
            throw EvaluationInputError(field: "comment", message: "is longer than \(commentMax) characters")
        }
        if comment.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            throw EvaluationInputError(field: "comment", message: "contains control characters")
        }
        return out
    }

    static func trimmed(_ s: String) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

/// A refused evaluation form: the field (`score.objectives`, `comment`) and why.
public struct EvaluationInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "field '\(field)' \(message)" }
}
