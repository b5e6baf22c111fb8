/// One eligible lesson of a teacher in the draw week: a weekly timetable slot in an eligible room.
public struct SpotCheckLesson: Codable, Sendable, Hashable {
    public var roomID: String
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var start: TimeOfDay
    public var end: TimeOfDay
    public var subject: String

    public init(roomID: String, weekday: Int, start: TimeOfDay, end: TimeOfDay, subject: String) {
        self.roomID = roomID
        self.weekday = weekday
        self.start = start
        self.end = end
        self.subject = subject
    }

    /// Canonical lesson order: weekday, start, end, room_id (bytewise), subject (bytewise).
    static func precedes(_ a: Self, _ b: Self) -> Bool {
        if a.weekday != b.weekday { return a.weekday < b.weekday }
        if a.start != b.start { return a.start < b.start }
        if a.end != b.end { return a.end < b.end }
        if a.roomID != b.roomID { return utf8Precedes(a.roomID, b.roomID) }
        return utf8Precedes(a.subject, b.subject)
    }

    enum CodingKeys: String, CodingKey {
        case weekday, start, end, subject
        case roomID = "room_id"
    }
}

/// An eligible teacher: their school (the one the one-per-school rule counts) and eligible lessons.
public struct SpotCheckTeacher: Codable, Sendable, Hashable {
    public var id: String
    public var schoolID: String
    /// In canonical lesson order once inside a ``SpotCheckSnapshot``.
    public var lessons: [SpotCheckLesson]

    public init(id: String, schoolID: String, lessons: [SpotCheckLesson]) {
        self.id = id
        self.schoolID = schoolID
        self.lessons = lessons
    }

    enum CodingKeys: String, CodingKey {
        case lessons
        case id = "teacher_id"
        case schoolID = "school_id"
    }
}

/// The eligibility snapshot a draw runs on: every eligible teacher with their school and eligible
/// lessons, in canonical order, and its SHA-256 digest (docs/spotcheck-draw.md §2).
///
/// - Important: build it from a registry with ``SpotCheckEligibility``, or from published inputs
///   with ``init(teachers:)``, which puts them in canonical order and rejects inconsistent input.
public struct SpotCheckSnapshot: Sendable, Hashable {
    /// Sorted by teacher id (bytewise UTF-8); each teacher's lessons in canonical lesson order.
    public let teachers: [SpotCheckTeacher]
    /// SHA-256 of the canonical encoding of ``teachers``.
    public let digest: [UInt8]

    public init(teachers: [SpotCheckTeacher]) throws(SpotCheckInputError) {
        // Lessons already in order (most, from a timetable) are left as they are rather than copied
        // to be sorted: at the province a snapshot has three quarters of a million lessons.
        var sorted = teachers
        for i in sorted.indices where !Self.inOrder(sorted[i].lessons) {
            sorted[i].lessons.sort(by: SpotCheckLesson.precedes)
        }
        if !sorted.indices.dropFirst().allSatisfy({ !utf8Precedes(sorted[$0].id, sorted[$0 - 1].id) }) {
            sorted.sort { utf8Precedes($0.id, $1.id) }
        }
        for (i, t) in sorted.enumerated() {
            let at = "snapshot.teachers[\(t.id)]"
            if t.id.isEmpty { throw SpotCheckInputError("\(at): empty teacher_id") }
            if i > 0 && sorted[i - 1].id == t.id { throw SpotCheckInputError("\(at): teacher_id appears twice") }
            if t.schoolID.isEmpty { throw SpotCheckInputError("\(at).school_id: empty") }
            if t.lessons.isEmpty { throw SpotCheckInputError("\(at).lessons: an eligible teacher needs a lesson") }
            for (k, l) in t.lessons.enumerated() {
                if !(1...7).contains(l.weekday) {
                    throw SpotCheckInputError("\(at).lessons[\(k)].weekday: \(l.weekday) is not 1…7")
                }
                if l.end <= l.start { throw SpotCheckInputError("\(at).lessons[\(k)].end: not after start \(l.start)") }
                if l.roomID.isEmpty { throw SpotCheckInputError("\(at).lessons[\(k)].room_id: empty") }
            }
        }
        self.teachers = sorted
        self.digest = Self.digest(of: sorted)
    }

    /// Whether no lesson of `lessons` comes before the one before it.
    static func inOrder(_ lessons: [SpotCheckLesson]) -> Bool {
        lessons.indices.dropFirst().allSatisfy { !SpotCheckLesson.precedes(lessons[$0], lessons[$0 - 1]) }
    }

    /// The number of distinct schools among the eligible teachers.
    public var schoolCount: Int { Set(teachers.map(\.schoolID)).count }
    public var lessonCount: Int { teachers.reduce(0) { $0 + $1.lessons.count } }

    static func digest(of teachers: [SpotCheckTeacher]) -> [UInt8] {
        var c = CanonicalBytes(label: SpotCheckLabels.snapshot)
        c.u32(teachers.count)
        for t in teachers {
            c.frame(t.id)
            c.frame(t.schoolID)
            c.u32(t.lessons.count)
            for l in t.lessons {
                c.u8(l.weekday)
                c.u16(l.start.minutes)
                c.u16(l.end.minutes)
                c.frame(l.roomID)
                c.frame(l.subject)
            }
            c.spill()
        }
        return c.sha256
    }
}

/// Published draw inputs that do not make sense, named by field.
public struct SpotCheckInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
