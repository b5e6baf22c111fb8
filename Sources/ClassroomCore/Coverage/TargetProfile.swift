/// A versioned set of coverage targets from one plan and year (a file under `Deploy/profiles/`).
///
/// Bureaus add their own profiles without code changes; ``TargetProfile/load(_:file:)`` reads the
/// strict TOML subset and names file, line and key in every error.
public struct TargetProfile: Sendable, Hashable {
    /// The profile's name, such as `luxi-2025` (the file name without `.toml`).
    public var name: String
    /// A human title for report headings.
    public var title: String
    /// The plan or standard the targets come from.
    public var plan: String
    public var year: Int?
    public var targets: [IndicatorTarget]
    public var schoolRule: SchoolRule?
    /// A prefecture profile's name for its area (`prefecture = "昭通市"`): the heading of the
    /// prefecture total in a report over several counties; nil for a county profile.
    public var prefecture: String?
    /// A prefecture profile's county profiles (`[[county]] name = "…" profile = "…"`): county name →
    /// profile name. A county row of a prefecture report is measured against its county's profile.
    public var countyProfiles: [String: String] = [:]

    public init(
        name: String, title: String, plan: String, year: Int? = nil, targets: [IndicatorTarget], schoolRule: SchoolRule? = nil
    ) {
        self.name = name
        self.title = title
        self.plan = plan
        self.year = year
        self.targets = targets
        self.schoolRule = schoolRule
    }

    /// The target of `key` for `stage`, if the profile sets one.
    public func target(_ key: CoverageIndicatorKey, _ stage: IndicatorStage) -> IndicatorTarget? {
        targets.first { $0.key == key && $0.stage == stage }
    }

    /// Whether the profile sets a target for `key` or names it in its school rule (the declared
    /// resource indicators are reported only then).
    public func mentions(_ key: CoverageIndicatorKey) -> Bool {
        targets.contains { $0.key == key } || schoolRule?.indicators.contains(key.rawValue) == true
    }
}

/// One target: an indicator, for one stage, with its threshold and source.
public struct IndicatorTarget: Sendable, Hashable {
    public var key: CoverageIndicatorKey
    public var stage: IndicatorStage
    /// The value to reach: a share (1.0 = 100 %) or, for rates, the rate (2.3 per 100 students).
    public var threshold: Double
    /// The largest coefficient of variation between schools (差异系数) the standard allows, if any.
    public var cvMax: Double?
    /// Only schools with at least this many classes in the stage are assessed (Zhaotong: 18 / 12).
    public var minClasses: Int
    /// For recording classrooms: classes per required room (18 primary, 12 secondary by default).
    public var classesPerRoom: Int
    /// Where the target comes from (plan, section).
    public var source: String

    public init(
        key: CoverageIndicatorKey, stage: IndicatorStage, threshold: Double, cvMax: Double? = nil, minClasses: Int = 0,
        classesPerRoom: Int? = nil, source: String
    ) {
        self.key = key
        self.stage = stage
        self.threshold = threshold
        self.cvMax = cvMax
        self.minClasses = minClasses
        self.classesPerRoom = classesPerRoom ?? (stage == .primary ? 18 : 12)
        self.source = source
    }
}

/// The school-level rule of the national quality-balance standard: a school meets at least
/// `minMet` of its resource indicators and every other one reaches `restRatio` of its standard.
public struct SchoolRule: Sendable, Hashable {
    /// The rule's indicators by name (``CoverageIndicatorKey`` raw values; the national seven are
    /// ``CoverageIndicatorKey/nationalResources``). One without a value or a target in the profile is reported in
    /// ``SchoolRuleResult/notMeasured``.
    public var indicators: [String]
    public var minMet: Int
    public var restRatio: Double
    public var source: String

    public init(indicators: [String], minMet: Int, restRatio: Double, source: String) {
        self.indicators = indicators
        self.minMet = minMet
        self.restRatio = restRatio
        self.source = source
    }
}

extension CoverageIndicatorKey {
    /// The seven resource indicators of the national quality-balance standard (县域义务教育优质均衡发展
    /// 督导评估办法, 2017, art. 7), in its order: the multimedia-classroom one is measured from rooms and
    /// agents, the other six are declared by schools (``SchoolResource``).
    public static let nationalResources: [CoverageIndicatorKey] = [
        .qualifiedTeachersPer100Students, .backboneTeachersPer100Students, .peArtTeachersPer100Students,
        .teachingSpacePerStudent, .sportsGroundPerStudent, .equipmentValuePerStudent, .multimediaClassroomsPer100Students,
    ]
}
