/// A school stage. Nine-year schools (九年一贯制) have primary and junior parts; complete secondary
/// schools (完全中学) junior and high.
public enum Stage: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case primary, junior, high

    public static func < (a: Stage, b: Stage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The Chinese name used in the dashboard and reports.
    public var chineseName: String {
        switch self {
        case .primary: "小学"
        case .junior: "初中"
        case .high: "高中"
        }
    }
}

/// Classes and students of one stage of a school, and the resources it declares for that stage.
public struct StageEnrollment: Codable, Sendable, Hashable {
    public var classes: Int
    public var students: Int
    /// The national standard's resources the school declares (optional columns of `schools.csv`);
    /// a resource left blank is absent, and the indicator it feeds stays unknown.
    public var resources: [SchoolResource: Double]

    public init(classes: Int, students: Int, resources: [SchoolResource: Double] = [:]) {
        self.classes = classes
        self.students = students
        self.resources = resources
    }

    enum CodingKeys: String, CodingKey { case classes, students, resources }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classes = try c.decode(Int.self, forKey: .classes)
        students = try c.decode(Int.self, forKey: .students)
        // Absent in what was encoded before the resource columns existed.
        resources = try c.decodeIfPresent([SchoolResource: Double].self, forKey: .resources) ?? [:]
    }

    public static let none = StageEnrollment(classes: 0, students: 0)
}

/// A school (or village teaching point, 教学点) of the county registry.
public struct School: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var county: String
    public var township: String
    public var primary: StageEnrollment
    public var junior: StageEnrollment
    public var high: StageEnrollment

    public init(
        id: String, name: String, county: String, township: String,
        primary: StageEnrollment = .none, junior: StageEnrollment = .none, high: StageEnrollment = .none
    ) {
        self.id = id
        self.name = name
        self.county = county
        self.township = township
        self.primary = primary
        self.junior = junior
        self.high = high
    }

    public subscript(stage: Stage) -> StageEnrollment {
        switch stage {
        case .primary: primary
        case .junior: junior
        case .high: high
        }
    }

    /// The stages this school teaches (those with at least one class).
    public var stages: [Stage] { Stage.allCases.filter { self[$0].classes > 0 } }
    public var totalClasses: Int { primary.classes + junior.classes + high.classes }
    public var totalStudents: Int { primary.students + junior.students + high.students }

    /// Under 50 students: a teaching point (教学点), left out of the resource-indicator assessment
    /// by the national quality-balance standard.
    public var isTeachingPoint: Bool { totalStudents < 50 }
}

/// What a room is for.
public enum RoomKind: String, Codable, Sendable, Hashable, CaseIterable {
    case classroom
    /// An interactive recording classroom (互动直录播教室).
    case recording
    case computerLab = "computer_lab"
    case other
}

/// The stage a room serves; `shared` for rooms used by several stages.
public enum RoomStage: String, Codable, Sendable, Hashable, CaseIterable {
    case primary, junior, high, shared

    /// The school stage, or nil for `shared`.
    public var stage: Stage? { Stage(rawValue: rawValue) }
}

/// Equipment a school declares for a room (optional `declared` column of `rooms.csv`).
public enum DeclaredEquipment: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case display, touch, speaker, microphone, camera, network

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A room of a school.
public struct Room: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var schoolID: String
    public var name: String
    public var kind: RoomKind
    public var stage: RoomStage
    /// The class that has its home in this room (empty for labs and shared rooms).
    public var className: String
    /// What the school declares is installed; nil when the column is absent or empty.
    public var declared: Set<DeclaredEquipment>?

    public init(
        id: String, schoolID: String, name: String, kind: RoomKind, stage: RoomStage,
        className: String = "", declared: Set<DeclaredEquipment>? = nil
    ) {
        self.id = id
        self.schoolID = schoolID
        self.name = name
        self.kind = kind
        self.stage = stage
        self.className = className
        self.declared = declared
    }
}

/// A teacher.
public struct Teacher: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var schoolID: String
    public var name: String
    public var subjects: [String]
    /// 校长 or 副校长 (the optional `position` column), for the observation quotas; nil for others.
    public var position: TeacherPosition?

    public init(id: String, schoolID: String, name: String, subjects: [String], position: TeacherPosition? = nil) {
        self.position = position
        self.id = id
        self.schoolID = schoolID
        self.name = name
        self.subjects = subjects
    }
}

/// A weekly timetable entry: a teacher teaches in a room on a weekday between two local times.
///
/// 72 bytes (four strings, the weekday in one byte, the times in two each): a province has millions.
public struct Lesson: Codable, Sendable, Hashable {
    public var schoolID: String
    public var roomID: String
    public var teacherID: String
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        get { Int(day) }
        // Clamped: a value out of Int8's range is no weekday either way.
        set { day = Int8(clamping: newValue) }
    }
    private var day: Int8
    public var start: TimeOfDay
    public var end: TimeOfDay
    public var subject: String

    public init(
        schoolID: String, roomID: String, teacherID: String, weekday: Int, start: TimeOfDay, end: TimeOfDay, subject: String
    ) {
        self.schoolID = schoolID
        self.roomID = roomID
        self.teacherID = teacherID
        self.day = Int8(clamping: weekday)
        self.start = start
        self.end = end
        self.subject = subject
    }

    enum CodingKeys: String, CodingKey { case schoolID, roomID, teacherID, weekday, start, end, subject }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            schoolID: try c.decode(String.self, forKey: .schoolID), roomID: try c.decode(String.self, forKey: .roomID),
            teacherID: try c.decode(String.self, forKey: .teacherID), weekday: try c.decode(Int.self, forKey: .weekday),
            start: try c.decode(TimeOfDay.self, forKey: .start), end: try c.decode(TimeOfDay.self, forKey: .end),
            subject: try c.decode(String.self, forKey: .subject))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schoolID, forKey: .schoolID)
        try c.encode(roomID, forKey: .roomID)
        try c.encode(teacherID, forKey: .teacherID)
        try c.encode(weekday, forKey: .weekday)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(subject, forKey: .subject)
    }
}

/// A county's registry: schools, rooms, teachers, the weekly timetable and the optional term
/// calendar, validated as a whole.
///
/// - Important: build one through ``RegistryLoader`` (from CSV) or the sample generator; the
///   initializer does not validate cross references.
public struct Registry: Sendable, Hashable {
    public var schools: [School]
    public var rooms: [Room]
    /// Setting or changing the teachers drops what was computed from them (``lessonTeachers``), as for
    /// ``lessons``.
    public var teachers: [Teacher] {
        get { storedTeachers }
        set {
            storedTeachers = newValue
            derived = RegistryDerived()
        }
        _modify {
            derived = RegistryDerived()
            yield &storedTeachers
        }
    }
    /// Setting or changing the lessons drops what was computed from them (``roomLessons``). Changed in
    /// place (`registry.lessons.append(…)`): a `didSet` observer made every append copy the whole array.
    public var lessons: [Lesson] {
        get { storedLessons }
        set {
            storedLessons = newValue
            derived = RegistryDerived()
        }
        _modify {
            derived = RegistryDerived()
            yield &storedLessons
        }
    }
    /// The school year of the optional `calendar.csv`; nil when the registry has none.
    public var calendar: TermCalendar?
    private var storedLessons: [Lesson]
    private var storedTeachers: [Teacher]
    /// What is computed from ``lessons`` once (``roomLessons``); not part of the registry's value.
    private var derived = RegistryDerived()

    public init(
        schools: [School], rooms: [Room], teachers: [Teacher], lessons: [Lesson], calendar: TermCalendar? = nil
    ) {
        self.schools = schools
        self.rooms = rooms
        self.storedTeachers = teachers
        self.storedLessons = lessons
        self.calendar = calendar
    }

    /// The calendar that decides school days: `calendar`, or every day when there is none.
    public var schoolCalendar: TermCalendar { calendar ?? .unrestricted }

    /// The lessons by room (``RoomLessons``), built on first use and kept with this registry value and
    /// its copies until its lessons change: a collector keeps its registry in memory between imports,
    /// and with it this index.
    public var roomLessons: RoomLessons { derived.roomLessons(of: lessons) }

    /// For each lesson, its teacher's place in ``teachers`` (``LessonTeachers``), built on first use and
    /// kept like ``roomLessons`` until the lessons or the teachers change.
    public var lessonTeachers: LessonTeachers { derived.lessonTeachers(of: lessons, teachers: teachers) }

    /// ``lessonTeachers`` when it is already at hand (built, or given by the loader), without building it.
    var lessonTeachersIfBuilt: LessonTeachers? { derived.lessonTeachersIfBuilt }

    /// Gives ``lessonTeachers`` as the loader found it: `ordinals[i]` is lesson `i`'s teacher's first place in
    /// ``teachers``. Ignored unless there is one per lesson.
    mutating func seedLessonTeachers(_ ordinals: [Int32]) {
        guard ordinals.count == lessons.count else { return }
        derived.seed(LessonTeachers(ordinals: ordinals))
    }

    // The registry's value is its five parts; `derived` is a cache of them.
    public static func == (a: Registry, b: Registry) -> Bool {
        a.schools == b.schools && a.rooms == b.rooms && a.teachers == b.teachers && a.lessons == b.lessons
            && a.calendar == b.calendar
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(schools)
        hasher.combine(rooms)
        hasher.combine(teachers)
        hasher.combine(lessons)
        hasher.combine(calendar)
    }

    /// Dictionaries for lookups by id; build once and keep when looking up many times.
    public func schoolsByID() -> [String: School] { Dictionary(schools.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
    public func roomsByID() -> [String: Room] { Dictionary(rooms.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
    public func teachersByID() -> [String: Teacher] { Dictionary(teachers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
}
