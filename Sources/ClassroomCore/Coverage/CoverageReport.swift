/// A coverage report: the county's indicators against a profile's targets, every school's
/// indicators, what each school still lacks, and the national school rule.
///
/// The JSON shape is the contract of `classroomctl coverage report --format json` and
/// `/api/v1/coverage`: `{"profile", "basis", "county": {"indicators": […]}, "schools": [{"school_id",
/// "indicators", "gaps"}]}`.
public struct CoverageReport: Codable, Sendable, Hashable {
    public var profile: String
    public var profileTitle: String
    public var plan: String
    public var basis: CoverageBasis
    /// The day the report is for (`YYYY-MM-DD`); verified evidence counts within `windowDays` before its end.
    public var at: String
    public var windowDays: Int
    /// Where the profile's targets come from, as cited in the profile.
    public var sources: [String]
    public var county: CountyCoverage
    public var schools: [SchoolCoverage]
    /// From a collector: indicators it has no evidence for yet, with the reason (absent offline).
    public var notMeasured: [NotMeasuredIndicator]?
    /// From a collector for a school admin: `school:<id>`, only that school's row, county figures
    /// hidden (absent when the report covers the whole county).
    public var scope: String?
    /// On the verified basis: what the county's recording-room figures rest on (spot-check, self-test,
    /// equipment without a stream, no equipment); absent on the declared basis.
    public var recordingBasis: RecordingBasisTally?
    /// With more than one county in the registry: each county's row (its CV between its own
    /// schools), in registry order; nil for a one-county report.
    public var counties: [CountyCoverage]?
    /// With more than one county: the prefecture total (sums over every school, gaps and tallies
    /// summed); its CV is nil, since the standard's 差异系数 is a between-school figure inside one
    /// county. `county` repeats it for readers of one-county reports.
    public var prefecture: CountyCoverage?
    /// From a collector's `GET /api/v1/coverage`: which slice of the schools `schools` holds (absent in
    /// a complete report, such as classroomctl's own).
    public var schoolsPage: SchoolsPage?

    enum CodingKeys: String, CodingKey {
        case profile, plan, basis, at, county, schools, sources, scope, counties, prefecture
        case schoolsPage = "schools_page"
        case profileTitle = "profile_title"
        case windowDays = "window_days"
        case notMeasured = "not_measured"
        case recordingBasis = "recording_basis"
    }
}

/// A slice of a report's schools: a province has 20,000, whose rows are most of a 71 MB answer, while
/// a dashboard shows the county part and one page.
public struct SchoolsPage: Codable, Sendable, Hashable {
    /// The index of the slice's first school among all of the report's schools (in report order).
    public var offset: Int
    /// The most schools the slice may hold.
    public var limit: Int
    /// All of the report's schools.
    public var total: Int

    public init(offset: Int, limit: Int, total: Int) {
        self.offset = offset
        self.limit = limit
        self.total = total
    }
}

extension CoverageReport {
    /// The report with only the schools `offset..<offset+limit` (fewer at the end, none past it), and
    /// ``schoolsPage`` saying so; county, county rows and tallies stay whole.
    public func pagingSchools(offset: Int, limit: Int) -> CoverageReport {
        precondition(offset >= 0 && limit >= 0, "a page's offset and limit are not negative")
        var page = self
        let total = schools.count
        let start = min(offset, total)
        page.schools = Array(schools[start..<(start + min(limit, total - start))])
        page.schoolsPage = SchoolsPage(offset: offset, limit: limit, total: total)
        return page
    }
}

/// The county's figures.
public struct CountyCoverage: Codable, Sendable, Hashable {
    public var name: String
    public var schools: Int
    /// Schools under 50 students, left out of the resource indicators and the CV.
    public var teachingPoints: Int
    public var indicators: [IndicatorValue]
    /// The procurement list: missing items per kind, summed over schools.
    public var gaps: [GapTotal]
    /// Schools per status of the national school rule, per stage.
    public var schoolRule: [SchoolRuleTally]
    /// A county row measured against the county's own profile: that profile's name (nil when the
    /// row uses the report's profile).
    public var profile: String?
    /// The prefecture total: how many counties it sums (nil on a county).
    public var counties: Int?
    /// On a township row: the students of its schools (nil on a county or the prefecture total).
    public var students: Int?
    /// On a county row (or a one-county report's `county`): one row per township (乡镇, the schools.csv
    /// `township`) in order of its first school, the same figures summed over the township's schools
    /// and no CV (the 差异系数 is a between-school figure of a county); nil on a township row and on
    /// the prefecture total.
    public var townships: [CountyCoverage]?

    enum CodingKeys: String, CodingKey {
        case name, schools, indicators, gaps, profile, counties, students, townships
        case teachingPoints = "teaching_points"
        case schoolRule = "school_rule"
    }
}

/// One indicator for one stage of the county or a school.
public struct IndicatorValue: Codable, Sendable, Hashable {
    public var key: CoverageIndicatorKey
    public var stage: IndicatorStage
    /// The value (a share 0…1, or a rate per 100 students); nil when not measured on this basis.
    public var value: Double?
    public var numerator: Double
    public var denominator: Double
    /// The profile's target; nil when the profile sets none for this indicator and stage.
    public var target: Double?
    public var met: Bool?
    /// The coefficient of variation between schools (county only).
    public var cv: Double?
    public var cvTarget: Double?
    public var cvMet: Bool?
    /// False when the school is left out of the assessment (a teaching point for a resource
    /// indicator, or fewer classes than the target's minimum).
    public var assessed: Bool
    /// On the verified basis: the same indicator from the schools' declarations, and whether they differ.
    public var declaredValue: Double?
    public var differsFromDeclared: Bool?

    public init(
        key: CoverageIndicatorKey, stage: IndicatorStage, value: Double?, numerator: Double, denominator: Double,
        target: Double?, assessed: Bool
    ) {
        self.key = key
        self.stage = stage
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.target = target
        self.assessed = assessed
        if let value, let target { met = value >= target - 1e-9 }
    }

    enum CodingKeys: String, CodingKey {
        case key, stage, value, numerator, denominator, target, met, cv, assessed
        case cvTarget = "cv_target"
        case cvMet = "cv_met"
        case declaredValue = "declared_value"
        case differsFromDeclared = "differs_from_declared"
    }

    public func encode(to encoder: any Encoder) throws {
        // Absent figures are written as null, so scripts always find every key.
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(stage, forKey: .stage)
        try c.encode(value, forKey: .value)
        try c.encode(numerator, forKey: .numerator)
        try c.encode(denominator, forKey: .denominator)
        try c.encode(target, forKey: .target)
        try c.encode(met, forKey: .met)
        try c.encode(cv, forKey: .cv)
        try c.encode(cvTarget, forKey: .cvTarget)
        try c.encode(cvMet, forKey: .cvMet)
        try c.encode(assessed, forKey: .assessed)
        try c.encode(declaredValue, forKey: .declaredValue)
        try c.encode(differsFromDeclared, forKey: .differsFromDeclared)
    }
}

/// One school's figures.
public struct SchoolCoverage: Codable, Sendable, Hashable {
    public var schoolID: String
    public var name: String
    /// The school's county (the `county` column of `schools.csv`).
    public var county: String
    public var township: String
    public var students: Int
    public var classes: Int
    public var teachingPoint: Bool
    public var indicators: [IndicatorValue]
    public var gaps: [CoverageGap]
    public var schoolRule: [SchoolRuleResult]
    /// On the verified basis: what the school's recording-room figure rests on (``RecordingBasisTally``).
    public var recordingBasis: RecordingBasisTally?

    enum CodingKeys: String, CodingKey {
        case name, county, township, students, classes, indicators, gaps
        case schoolID = "school_id"
        case teachingPoint = "teaching_point"
        case schoolRule = "school_rule"
        case recordingBasis = "recording_basis"
    }
}

/// What one school still lacks to reach one target.
public struct CoverageGap: Codable, Sendable, Hashable {
    public var key: CoverageIndicatorKey
    public var stage: IndicatorStage
    /// What to procure: `smart_blackboard`, `digital_classroom_kit`, `recording_classroom`,
    /// `multimedia_classroom`, `network_connection`.
    public var item: String
    public var have: Int
    public var needed: Int
    public var missing: Int
}

/// Missing items of one kind summed over the county's schools.
public struct GapTotal: Codable, Sendable, Hashable {
    public var item: String
    public var missing: Int
    public var schools: Int
}

/// How many schools meet, fail or cannot yet be judged by the national school rule, for one stage.
public struct SchoolRuleTally: Codable, Sendable, Hashable {
    public var stage: IndicatorStage
    public var meets: Int
    public var fails: Int
    public var undetermined: Int
}
