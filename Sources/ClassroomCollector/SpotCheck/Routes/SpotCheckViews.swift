import ClassroomCore

/// Body of `POST /api/v1/spotcheck/draws`.
struct SpotCheckDrawRequest: Codable, Sendable {
    var week: String
    var count: Int?
    var beacon: String?
    static let fields: Set<String> = ["week", "count", "beacon"]
}

/// Body of `POST /api/v1/spotcheck/now`.
struct SpotCheckNowRequest: Codable, Sendable {
    var schoolID: String?
    static let fields: Set<String> = ["school_id"]
    enum CodingKeys: String, CodingKey { case schoolID = "school_id" }
}

/// Body of `POST /api/v1/spotcheck/orders/{id}/excuse`.
struct SpotCheckExcuseRequest: Codable, Sendable {
    var reason: String
    static let fields: Set<String> = ["reason"]
}

/// An order as listed to operators (only once its lesson has started, or after the reveal).
struct SpotCheckOrderView: Codable, Sendable, Hashable {
    var id: String
    var week: String
    var source: String
    var round: Int
    var teacherID: String
    var teacherName: String
    var schoolID: String
    var roomID: String
    var weekday: Int
    var start: String
    var end: String
    var subject: String
    var lessonStart: Int64
    var lessonEnd: Int64
    var dispatchedAt: Int64?
    var dispatch: String?
    var deviceID: String?
    var publishStartedAt: Int64?
    var publishEndedAt: Int64?
    var excuseReason: String?

    init(_ o: SpotCheckOrderRecord) {
        id = o.id
        week = o.week
        source = o.source
        round = o.round
        teacherID = o.teacherID
        teacherName = o.teacherName
        schoolID = o.schoolID
        roomID = o.roomID
        weekday = o.weekday
        start = TimeOfDay(minutes: o.startMinute).description
        end = TimeOfDay(minutes: o.endMinute).description
        subject = o.subject
        lessonStart = o.lessonStart
        lessonEnd = o.lessonEnd
        dispatchedAt = o.dispatchedAt
        dispatch = o.dispatchNote
        deviceID = o.deviceID
        publishStartedAt = o.publishStartedAt
        publishEndedAt = o.publishEndedAt
        excuseReason = o.excuseReason
    }

    enum CodingKeys: String, CodingKey {
        case id, week, source, round, weekday, start, end, subject, dispatch
        case teacherID = "teacher_id"
        case teacherName = "teacher_name"
        case schoolID = "school_id"
        case roomID = "room_id"
        case lessonStart = "lesson_start"
        case lessonEnd = "lesson_end"
        case dispatchedAt = "dispatched_at"
        case deviceID = "device_id"
        case publishStartedAt = "publish_started_at"
        case publishEndedAt = "publish_ended_at"
        case excuseReason = "excuse_reason"
    }
}

/// `GET /api/v1/spotcheck/weeks/{week}`.
struct SpotCheckWeekView: Codable, Sendable {
    var week: String
    var drawn: Bool
    var commitment: String?
    var count: Int?
    var revealed: Bool
    var orders: [SpotCheckOrderView]
    /// Drawn orders whose lesson has not started (county-wide roles only; nil for a school admin).
    var hidden: Int?
    /// Set when the week is not drawn and the term calendar gives it no school day: it will not be.
    var noSchool: NoSchool? = nil

    /// Why a week has no draw: `{"kind": "winter_break", "reason": "winter break", "reason_zh": "寒假"}`.
    struct NoSchool: Codable, Sendable {
        var kind: String
        var reason: String
        var reasonZH: String

        init(_ off: NoSchoolWeek) {
            kind = off.kind.rawValue
            reason = off.reason
            reasonZH = off.chineseReason
        }

        enum CodingKeys: String, CodingKey {
            case kind, reason
            case reasonZH = "reason_zh"
        }
    }

    enum CodingKeys: String, CodingKey {
        case week, drawn, commitment, count, revealed, orders, hidden
        case noSchool = "no_school"
    }
}
