/// Figures of a registry that a bureau checks at a glance.
public struct RegistrySummary: Codable, Sendable, Hashable {
    public struct StageFigures: Codable, Sendable, Hashable {
        public var schools: Int
        public var classes: Int
        public var students: Int
    }

    public var schools: Int
    /// Schools under 50 students (教学点).
    public var teachingPoints: Int
    public var stages: [String: StageFigures]
    public var rooms: [String: Int]
    public var teachers: Int
    public var lessonsPerWeek: Int
    /// Teachers with no lesson in the timetable (never eligible for a spot-check).
    public var teachersWithoutLessons: Int
    /// The term calendar's figures; nil without `calendar.csv`.
    public var calendar: CalendarFigures?
    /// Schools per county (the `county` column); more than one entry is a prefecture.
    public var counties: [String: Int]

    /// What a term calendar holds, at a glance.
    public struct CalendarFigures: Codable, Sendable, Hashable {
        public var terms: [TermCalendar.Term]
        /// Days taught, over all terms (make-up workdays included, holidays not).
        public var schoolDays: Int
        public var holidays: Int
        public var workdays: Int

        public init(_ c: TermCalendar) {
            terms = c.terms
            var days = Set<LocalDate>()
            for term in c.terms {
                for n in 0...max(0, term.last.daysSinceEpoch - term.first.daysSinceEpoch) {
                    let date = term.first.adding(days: n)
                    if c.isSchoolDay(date) { days.insert(date) }
                }
            }
            for d in c.days where d.kind == .workday { days.insert(d.date) }
            schoolDays = days.count
            holidays = c.days.filter { $0.kind == .holiday }.count
            workdays = c.days.filter { $0.kind == .workday }.count
        }

        enum CodingKeys: String, CodingKey {
            case terms, holidays, workdays
            case schoolDays = "school_days"
        }
    }

    public init(_ r: Registry) {
        schools = r.schools.count
        teachingPoints = r.schools.filter(\.isTeachingPoint).count
        var stages: [String: StageFigures] = [:]
        for stage in Stage.allCases {
            let s = r.schools.filter { $0[stage].classes > 0 }
            stages[stage.rawValue] = StageFigures(
                schools: s.count, classes: s.reduce(0) { $0 + $1[stage].classes },
                students: s.reduce(0) { $0 + $1[stage].students })
        }
        self.stages = stages
        var rooms: [String: Int] = Dictionary(uniqueKeysWithValues: RoomKind.allCases.map { ($0.rawValue, 0) })
        for room in r.rooms { rooms[room.kind.rawValue, default: 0] += 1 }
        self.rooms = rooms
        teachers = r.teachers.count
        lessonsPerWeek = r.lessons.count
        teachersWithoutLessons = Self.teachersWithoutLessons(r)
        calendar = r.calendar.map(CalendarFigures.init)
        counties = r.schools.reduce(into: [:]) { $0[$1.county, default: 0] += 1 }
    }

    /// The teachers whose id no lesson names. A province has millions of lessons: they are looked up by
    /// their ids' bytes (``ByteKeyIndex``), not put in a `Set<String>` (SipHash each, and a 16-byte
    /// array entry each for `map`); an id found only as a `String` (another normalization) still counts.
    /// When the loader gave each lesson's teacher's place (``Registry/lessonTeachers``), that is read
    /// instead of looking up 7.2 million ids again (a twentieth of a province's `registry check`).
    static func teachersWithoutLessons(_ r: Registry) -> Int {
        let index = ByteKeyIndex(minimumCapacity: r.teachers.count)
        // From a place in the teachers to the id's ordinal in `index` (not the same when an id repeats),
        // found in the one pass that builds the index.
        let ordinal = r.teachers.map { index.insert($0.id) }
        var taught = [Bool](repeating: false, count: index.count)
        var others = Set<String>()
        let known = r.lessonTeachersIfBuilt
        func teacher(_ i: Int, _ lesson: Lesson) -> Int? {
            guard let known else { return index.find(lesson.teacherID) }
            return known[lesson: i].map { ordinal[$0] }
        }
        for (i, lesson) in r.lessons.enumerated() {
            if let k = teacher(i, lesson) { taught[k] = true } else { others.insert(lesson.teacherID) }
        }
        return r.teachers.indices.filter { !taught[ordinal[$0]] && !others.contains(r.teachers[$0].id) }.count
    }

    enum CodingKeys: String, CodingKey {
        case schools, stages, rooms, teachers, calendar, counties
        case teachingPoints = "teaching_points"
        case lessonsPerWeek = "lessons_per_week"
        case teachersWithoutLessons = "teachers_without_lessons"
    }
}
