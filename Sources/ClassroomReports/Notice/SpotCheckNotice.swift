import ClassroomCore

/// The weekly notice (通报) of the random live-lesson spot-check: what the collector's
/// `GET /api/v1/spotcheck/weeks/{week}/notice` answers and what ``SpotCheckNoticeHTML`` and
/// ``SpotCheckNoticeCSV`` render (the console page and `classroomctl spotcheck notice` alike).
///
/// - Important: built from the same results as `/spotchecks` and `classroomctl spotcheck results`
///   (called lessons: sources `draw` and `now`; patrol views are not called lessons).
public struct SpotCheckNotice: Codable, Sendable, Hashable {
    /// `YYYY-Www` and its Monday and Sunday (`YYYY-MM-DD`).
    public var week: String
    public var monday: String
    public var sunday: String
    /// The county (or counties) of the registry; empty before an import.
    public var county: String
    /// The date the notice was issued (签发日期), `YYYY-MM-DD` in the county's time zone.
    public var issuedOn: String
    /// Whether the week's draw was published; before, lessons appear as they start.
    public var revealed: Bool
    /// Called lessons not shown yet (their lesson has not started); nil for a school admin.
    public var hidden: Int?
    public var rubric: [NoticeRubricItem]
    public var scaleMin: Int
    public var scaleMax: Int
    /// The mean below which a lesson is followed up.
    public var followUpBelow: Double
    /// Called lessons, grouped by school (schools by id, lessons by start).
    public var schools: [NoticeSchool]
    public var totals: NoticeTotals
    /// The mean of every rubric item over all evaluations of the week's lessons.
    public var evaluation: NoticeEvaluationSummary
    /// Teachers to follow up: not conducted without excuse, or a low mean score.
    public var followUp: [NoticeFollowUp]

    public init(
        week: String, monday: String, sunday: String, county: String, issuedOn: String, revealed: Bool, hidden: Int?,
        rubric: [NoticeRubricItem], scaleMin: Int, scaleMax: Int, followUpBelow: Double, schools: [NoticeSchool],
        totals: NoticeTotals, evaluation: NoticeEvaluationSummary, followUp: [NoticeFollowUp]
    ) {
        self.week = week
        self.monday = monday
        self.sunday = sunday
        self.county = county
        self.issuedOn = issuedOn
        self.revealed = revealed
        self.hidden = hidden
        self.rubric = rubric
        self.scaleMin = scaleMin
        self.scaleMax = scaleMax
        self.followUpBelow = followUpBelow
        self.schools = schools
        self.totals = totals
        self.evaluation = evaluation
        self.followUp = followUp
    }

    /// Schools named in ``followUp``, in order, once each.
    public var followUpSchools: [String] {
        var seen: Set<String> = []
        return followUp.compactMap { seen.insert($0.schoolID).inserted ? $0.schoolName : nil }
    }

    enum CodingKeys: String, CodingKey {
        case week, monday, sunday, county, revealed, hidden, rubric, schools, totals, evaluation
        case issuedOn = "issued_on"
        case scaleMin = "scale_min"
        case scaleMax = "scale_max"
        case followUpBelow = "follow_up_below"
        case followUp = "follow_up"
    }
}

/// One rubric item (its key, Chinese and English labels): the rubric's own.
public typealias NoticeRubricItem = EvaluationRubric.Item

/// A school and its called lessons.
public struct NoticeSchool: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var lessons: [NoticeLesson]

    public init(id: String, name: String, lessons: [NoticeLesson]) {
        self.id = id
        self.name = name
        self.lessons = lessons
    }
}

/// One called lesson and what became of it.
public struct NoticeLesson: Codable, Sendable, Hashable {
    public var orderID: String
    public var teacherID: String
    public var teacherName: String
    public var room: String
    /// ISO weekday 1–7, `HH:MM` start and end, subject.
    public var weekday: Int
    public var start: String
    public var end: String
    public var subject: String
    /// `draw` or `now`.
    public var source: String
    /// The result's status (`conducted`, `partial`, `not_conducted`, `device_offline`, `device_fault`,
    /// `excused`, `pending`) and reason, as `/spotchecks` shows them.
    public var status: String
    public var reason: String
    /// The reason in Chinese (`reason_zh`), when the collector knows it; the notice in Chinese shows it.
    public var reasonZh: String?
    /// Evaluations of the lesson and their mean per rubric item (nil: none).
    public var evaluations: Int
    public var means: [String: Double]

    public init(
        orderID: String, teacherID: String, teacherName: String, room: String, weekday: Int, start: String, end: String,
        subject: String, source: String, status: String, reason: String, reasonZh: String? = nil, evaluations: Int,
        means: [String: Double]
    ) {
        self.orderID = orderID
        self.teacherID = teacherID
        self.teacherName = teacherName
        self.room = room
        self.weekday = weekday
        self.start = start
        self.end = end
        self.subject = subject
        self.source = source
        self.status = status
        self.reason = reason
        self.reasonZh = reasonZh
        self.evaluations = evaluations
        self.means = means
    }

    /// Statuses that mean "not conducted, no excuse" (followed up).
    public static let failures: Set<String> = ["partial", "not_conducted", "device_offline", "device_fault"]

    enum CodingKeys: String, CodingKey {
        case room, weekday, start, end, subject, source, status, reason, evaluations, means
        case reasonZh = "reason_zh"
        case orderID = "order_id"
        case teacherID = "teacher_id"
        case teacherName = "teacher_name"
    }
}

/// Counts of the week.
public struct NoticeTotals: Codable, Sendable, Hashable {
    public var called: Int
    public var conducted: Int
    /// Not conducted without excuse (partial, not conducted, device offline or faulty).
    public var notConducted: Int
    public var excused: Int
    public var pending: Int
    public var schools: Int

    public init(called: Int, conducted: Int, notConducted: Int, excused: Int, pending: Int, schools: Int) {
        self.called = called
        self.conducted = conducted
        self.notConducted = notConducted
        self.excused = excused
        self.pending = pending
        self.schools = schools
    }

    enum CodingKeys: String, CodingKey {
        case called, conducted, excused, pending, schools
        case notConducted = "not_conducted"
    }
}

/// The week's evaluations: how many, of how many lessons, and the mean of each item.
public struct NoticeEvaluationSummary: Codable, Sendable, Hashable {
    public var count: Int
    public var lessons: Int
    public var means: [String: Double]

    public init(count: Int, lessons: Int, means: [String: Double]) {
        self.count = count
        self.lessons = lessons
        self.means = means
    }
}

/// A teacher to follow up and why (`not_conducted` or `low_score`).
public struct NoticeFollowUp: Codable, Sendable, Hashable {
    public var schoolID: String
    public var schoolName: String
    public var teacherID: String
    public var teacherName: String
    public var orderID: String
    public var kind: String
    /// The lesson's status and reason (`not_conducted`).
    public var status: String
    public var reason: String
    /// The reason in Chinese (`reason_zh`), when the collector knows it.
    public var reasonZh: String?
    /// The rubric items whose mean is below the threshold, with their means (`low_score`).
    public var lowItems: [String: Double]

    public init(
        schoolID: String, schoolName: String, teacherID: String, teacherName: String, orderID: String, kind: String,
        status: String, reason: String, reasonZh: String? = nil, lowItems: [String: Double]
    ) {
        self.status = status
        self.reason = reason
        self.reasonZh = reasonZh
        self.lowItems = lowItems
        self.schoolID = schoolID
        self.schoolName = schoolName
        self.teacherID = teacherID
        self.teacherName = teacherName
        self.orderID = orderID
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case kind, status, reason
        case reasonZh = "reason_zh"
        case lowItems = "low_items"
        case schoolID = "school_id"
        case schoolName = "school_name"
        case teacherID = "teacher_id"
        case teacherName = "teacher_name"
        case orderID = "order_id"
    }
}
