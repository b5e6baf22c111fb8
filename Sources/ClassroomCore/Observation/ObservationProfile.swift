/// The observation profile (`Deploy/profiles/observation/NAME.toml`): the evaluation rubric (评课)
/// and the observation quotas a plan sets (听课), with the plan text they come from.
public struct ObservationProfile: Codable, Sendable, Hashable {
    public var name: String
    public var title: String
    public var rubric: EvaluationRubric
    public var quotas: ObservationQuotas

    public init(name: String, title: String, rubric: EvaluationRubric, quotas: ObservationQuotas) {
        self.name = name
        self.title = title
        self.rubric = rubric
        self.quotas = quotas
    }

    /// The default rubric with the Luxi quotas, for a collector that finds no profile file (the
    /// shipped `observation/luxi.toml` holds the same values with their citation).
    public static let standard = ObservationProfile(
        name: "standard", title: "默认听课评课要求", rubric: .standard, quotas: .luxi)
}

/// What the plan requires of principals and of the county (听课要求).
public struct ObservationQuotas: Codable, Sendable, Hashable {
    /// Lessons a principal (校长) observes per week, at least.
    public var principalPerWeek: Int
    /// Lessons a vice-principal (副校长) observes per week, at least.
    public var vicePrincipalPerWeek: Int
    /// Share of the county's schools with a lesson observed by the county (教研员, bureau) per term.
    public var schoolCoveragePerTerm: Double
    /// A lesson counts as observed by a viewer when the viewer's views of it (live, recording or
    /// patrol) add up to at least this many minutes.
    public var lessonMinutes: Int
    /// First days of the terms (学期), ascending: a term runs from one to the day before the next.
    public var termStarts: [LocalDate]
    /// The plan's words the quotas come from.
    public var source: String

    public init(
        principalPerWeek: Int, vicePrincipalPerWeek: Int, schoolCoveragePerTerm: Double, lessonMinutes: Int,
        termStarts: [LocalDate], source: String
    ) {
        self.principalPerWeek = principalPerWeek
        self.vicePrincipalPerWeek = vicePrincipalPerWeek
        self.schoolCoveragePerTerm = schoolCoveragePerTerm
        self.lessonMinutes = lessonMinutes
        self.termStarts = termStarts
        self.source = source
    }

    /// Luxi's plan: 校长每周听课不少于 1 节, 副校长不少于 2 节; 每学期听课学校覆盖率不低于 60%.
    public static let luxi = ObservationQuotas(
        principalPerWeek: 1, vicePrincipalPerWeek: 2, schoolCoveragePerTerm: 0.6, lessonMinutes: 10, termStarts: [],
        source: "校长每周听课不少于 1 节，副校长不少于 2 节；每学期听课学校覆盖率不低于 60%")

    /// The weekly quota of a position; nil for teachers without one.
    public func perWeek(_ position: TeacherPosition) -> Int {
        switch position {
        case .principal: principalPerWeek
        case .vicePrincipal: vicePrincipalPerWeek
        }
    }

    /// The term holding `date`: from the latest term start on or before it to the day before the
    /// next one (nil: open). With no term start at or before `date`, the term starts on 1 September
    /// (autumn) or 1 February (spring) — the Chinese school year's halves — of the date's year.
    public func term(containing date: LocalDate) -> (start: LocalDate, end: LocalDate?) {
        if let start = termStarts.last(where: { $0 <= date }) {
            let next = termStarts.first(where: { $0 > date })
            return (start, next?.adding(days: -1))
        }
        if date.month >= 9 {
            return (LocalDate(year: date.year, month: 9, day: 1), LocalDate(year: date.year + 1, month: 1, day: 31))
        }
        if date.month >= 2 {
            return (LocalDate(year: date.year, month: 2, day: 1), LocalDate(year: date.year, month: 8, day: 31))
        }
        return (LocalDate(year: date.year - 1, month: 9, day: 1), LocalDate(year: date.year, month: 1, day: 31))
    }
}
