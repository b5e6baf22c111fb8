extension ObservationProfile {
    static let rootKeys: Set<String> = ["name", "title", "evaluation", "quotas", "item"]
    static let evaluationKeys: Set<String> = ["scale_min", "scale_max", "comment_max", "edit_days", "follow_up_below"]
    static let itemKeys: Set<String> = ["key", "zh", "en"]
    static let quotaKeys: Set<String> = [
        "principal_per_week", "vice_principal_per_week", "school_coverage_per_term", "lesson_minutes", "term_starts", "source",
    ]

    /// Parses and checks a profile; every error names the file, line and key.
    ///
    /// ```toml
    /// name = "luxi"
    /// title = "…"
    /// [evaluation]                # optional; defaults of EvaluationRubric.standard
    /// scale_min = 1
    /// scale_max = 5
    /// [[item]]                    # rubric items in order; default: the four standard items
    /// key = "objectives"
    /// zh = "教学目标"
    /// en = "Teaching objectives"
    /// [quotas]
    /// principal_per_week = 1
    /// …
    /// ```
    public static func load(_ text: String, file: String) throws(TOMLError) -> ObservationProfile {
        let doc = try TOMLDocument.parse(text, file: file)
        try doc.root.rejectUnknownKeys(allowed: rootKeys)
        var rubric = EvaluationRubric.standard
        if let e = doc.tables["evaluation"] {
            try e.rejectUnknownKeys(allowed: evaluationKeys)
            rubric.scaleMin = Int(try e.integer("scale_min") ?? Int64(rubric.scaleMin))
            rubric.scaleMax = Int(try e.integer("scale_max") ?? Int64(rubric.scaleMax))
            rubric.commentMax = Int(try e.integer("comment_max") ?? Int64(rubric.commentMax))
            rubric.editDays = Int(try e.integer("edit_days") ?? Int64(rubric.editDays))
            rubric.followUpBelow = try e.number("follow_up_below") ?? rubric.followUpBelow
            guard rubric.scaleMin >= 0, rubric.scaleMin < rubric.scaleMax, rubric.scaleMax <= 100 else {
                throw e.error("scale_max", "the scale must be 0 ≤ scale_min < scale_max ≤ 100")
            }
            guard (1...100_000).contains(rubric.commentMax) else { throw e.error("comment_max", "must be 1…100000") }
            guard (0...366).contains(rubric.editDays) else { throw e.error("edit_days", "must be 0…366") }
        }
        if let items = doc.arrays["item"] {
            var seen: Set<String> = []
            rubric.items = []
            for t in items {
                try t.rejectUnknownKeys(allowed: itemKeys)
                let key = try t.require("key", t.string)
                guard !key.isEmpty, key.count <= 40, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                else { throw t.error("key", "'\(key)' must be 1–40 ASCII letters, digits or '_'") }
                guard seen.insert(key).inserted else { throw t.error("key", "'\(key)' appears twice") }
                rubric.items.append(.init(key: key, zh: try t.require("zh", t.string), en: try t.require("en", t.string)))
            }
            guard !rubric.items.isEmpty else { throw doc.root.error("item", "the rubric needs at least one item") }
        }
        var quotas = ObservationQuotas.luxi
        if let q = doc.tables["quotas"] {
            try q.rejectUnknownKeys(allowed: quotaKeys)
            quotas.principalPerWeek = Int(try q.integer("principal_per_week") ?? Int64(quotas.principalPerWeek))
            quotas.vicePrincipalPerWeek = Int(try q.integer("vice_principal_per_week") ?? Int64(quotas.vicePrincipalPerWeek))
            quotas.schoolCoveragePerTerm = try q.number("school_coverage_per_term") ?? quotas.schoolCoveragePerTerm
            quotas.lessonMinutes = Int(try q.integer("lesson_minutes") ?? Int64(quotas.lessonMinutes))
            quotas.source = try q.string("source") ?? quotas.source
            guard (0...100).contains(quotas.principalPerWeek) else { throw q.error("principal_per_week", "must be 0…100") }
            guard (0...100).contains(quotas.vicePrincipalPerWeek) else {
                throw q.error("vice_principal_per_week", "must be 0…100")
            }
            guard (0...1).contains(quotas.schoolCoveragePerTerm) else {
                throw q.error("school_coverage_per_term", "must be a share from 0 to 1")
            }
            guard (1...240).contains(quotas.lessonMinutes) else { throw q.error("lesson_minutes", "must be 1…240") }
            var starts: [LocalDate] = []
            for text in try q.stringArray("term_starts") ?? [] {
                guard let date = LocalDate(parsing: text) else {
                    throw q.error("term_starts", "'\(text)' is not a date YYYY-MM-DD")
                }
                guard starts.last.map({ $0 < date }) ?? true else { throw q.error("term_starts", "dates must ascend") }
                starts.append(date)
            }
            quotas.termStarts = starts
        }
        return ObservationProfile(
            name: try doc.root.require("name", doc.root.string), title: try doc.root.string("title") ?? "", rubric: rubric,
            quotas: quotas)
    }
}
