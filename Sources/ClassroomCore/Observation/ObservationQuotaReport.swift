/// Observation quotas (听课) against a plan, computed from the view log: each principal's and
/// vice-principal's lessons observed in a week, and the share of schools observed by the county in
/// a term.
///
/// **One observed lesson**: a distinct lesson (order id: a called lesson or a patrol view) whose
/// views by the viewer — live, recording or patrol, started inside the period — add up to at least
/// ``ObservationQuotas/lessonMinutes``. A principal's views are those of the console users linked
/// to the principal's registry teacher (`user create --teacher`).
/// **A school observed by the county**: a school with at least one lesson observed (as above) by a
/// county-wide watcher (bureau admin or observer, 教研员) in the term.
public struct ObservationQuotaReport: Codable, Sendable, Hashable {
    public var week: String
    /// The period of the weekly figures and of the term, `YYYY-MM-DD` inclusive.
    public var weekStart: String
    public var weekEnd: String
    public var termStart: String
    public var termEnd: String
    public var quotas: ObservationQuotas
    public var principals: [PrincipalObservation]
    public var coverage: ObservedSchoolCoverage

    public init(
        week: String, weekStart: String, weekEnd: String, termStart: String, termEnd: String, quotas: ObservationQuotas,
        principals: [PrincipalObservation], coverage: ObservedSchoolCoverage
    ) {
        self.week = week
        self.weekStart = weekStart
        self.weekEnd = weekEnd
        self.termStart = termStart
        self.termEnd = termEnd
        self.quotas = quotas
        self.principals = principals
        self.coverage = coverage
    }

    enum CodingKeys: String, CodingKey {
        case week, quotas, principals, coverage
        case weekStart = "week_start"
        case weekEnd = "week_end"
        case termStart = "term_start"
        case termEnd = "term_end"
    }
}

/// One principal or vice-principal this week.
public struct PrincipalObservation: Codable, Sendable, Hashable {
    public var teacherID: String
    public var name: String
    public var schoolID: String
    public var schoolName: String
    public var position: TeacherPosition
    /// Console users linked to the teacher (empty: nothing can be counted).
    public var users: [String]
    public var observed: Int
    public var quota: Int
    public var met: Bool { observed >= quota }

    public init(
        teacherID: String, name: String, schoolID: String, schoolName: String, position: TeacherPosition, users: [String],
        observed: Int, quota: Int
    ) {
        self.teacherID = teacherID
        self.name = name
        self.schoolID = schoolID
        self.schoolName = schoolName
        self.position = position
        self.users = users
        self.observed = observed
        self.quota = quota
    }

    enum CodingKeys: String, CodingKey {
        case name, position, users, observed, quota, met
        case teacherID = "teacher_id"
        case schoolID = "school_id"
        case schoolName = "school_name"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(teacherID, forKey: .teacherID)
        try c.encode(name, forKey: .name)
        try c.encode(schoolID, forKey: .schoolID)
        try c.encode(schoolName, forKey: .schoolName)
        try c.encode(position, forKey: .position)
        try c.encode(users, forKey: .users)
        try c.encode(observed, forKey: .observed)
        try c.encode(quota, forKey: .quota)
        try c.encode(met, forKey: .met)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        teacherID = try c.decode(String.self, forKey: .teacherID)
        name = try c.decode(String.self, forKey: .name)
        schoolID = try c.decode(String.self, forKey: .schoolID)
        schoolName = try c.decode(String.self, forKey: .schoolName)
        position = try c.decode(TeacherPosition.self, forKey: .position)
        users = try c.decode([String].self, forKey: .users)
        observed = try c.decode(Int.self, forKey: .observed)
        quota = try c.decode(Int.self, forKey: .quota)
    }
}

/// Schools observed by the county this term against the plan's share.
public struct ObservedSchoolCoverage: Codable, Sendable, Hashable {
    public var schools: Int
    public var observed: [String]
    public var target: Double
    public var share: Double { schools == 0 ? 0 : Double(observed.count) / Double(schools) }
    public var met: Bool { share >= target }

    public init(schools: Int, observed: [String], target: Double) {
        self.schools = schools
        self.observed = observed
        self.target = target
    }

    enum CodingKeys: String, CodingKey { case schools, observed, target, share, met }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schools, forKey: .schools)
        try c.encode(observed, forKey: .observed)
        try c.encode(target, forKey: .target)
        try c.encode(share, forKey: .share)
        try c.encode(met, forKey: .met)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schools = try c.decode(Int.self, forKey: .schools)
        observed = try c.decode([String].self, forKey: .observed)
        target = try c.decode(Double.self, forKey: .target)
    }
}

/// A span of viewing from the view log, reduced to what the quotas need.
public struct ObservedSpan: Sendable, Hashable {
    /// The audit actor of the viewer (`user:NAME`).
    public var viewer: String
    public var orderID: String
    /// The lesson's school.
    public var schoolID: String
    /// Whether the viewer is a county-wide watcher (bureau admin, observer).
    public var countyWide: Bool
    public var millis: Int64

    public init(viewer: String, orderID: String, schoolID: String, countyWide: Bool, millis: Int64) {
        self.viewer = viewer
        self.orderID = orderID
        self.schoolID = schoolID
        self.countyWide = countyWide
        self.millis = millis
    }
}

extension ObservationQuotas {
    /// The lessons each viewer observed: (viewer, order) pairs whose spans add up to ``lessonMinutes``.
    public func observedLessons(_ spans: [ObservedSpan]) -> [String: Set<String>] {
        var total: [String: [String: Int64]] = [:]
        for s in spans { total[s.viewer, default: [:]][s.orderID, default: 0] += max(0, s.millis) }
        let need = Int64(lessonMinutes) * 60_000
        return total.mapValues { Set($0.filter { $0.value >= need }.keys) }
    }

    /// Schools with a lesson observed by a county-wide watcher.
    public func schoolsObserved(_ spans: [ObservedSpan]) -> Set<String> {
        let county = spans.filter(\.countyWide)
        let observed = observedLessons(county)
        var schools: Set<String> = []
        for s in county where observed[s.viewer]?.contains(s.orderID) == true { schools.insert(s.schoolID) }
        return schools
    }
}
