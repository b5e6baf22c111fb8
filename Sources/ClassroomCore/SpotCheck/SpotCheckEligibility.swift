/// Who can be called in a week: the teachers with at least one lesson that week in an eligible
/// room (ARCHITECTURE.md §6.1).
///
/// - Important: which rooms are eligible is decided by the caller — the collector from its agents
///   (camera and microphone verified, seen in the last 24 h), `spotcheck simulate` from the room
///   kind. Only lessons on the school days of `week` count (the registry's ``TermCalendar``): a
///   holiday's lessons drop out, and a make-up workday (调休) brings the lessons of the weekday it
///   follows, on its own weekday. Without a calendar every week gives the same lessons.
public struct SpotCheckEligibility: Sendable, Hashable {
    public var week: ISOWeek
    public var eligibleRooms: Set<String>

    public init(week: ISOWeek, eligibleRooms: Set<String>) {
        self.week = week
        self.eligibleRooms = eligibleRooms
    }

    /// The recording classrooms (互动直录播教室) of a registry: the rooms built for live lessons.
    public static func recordingRooms(of registry: Registry) -> Set<String> {
        Set(registry.rooms.lazy.filter { $0.kind == .recording }.map(\.id))
    }

    /// Every room of a registry.
    public static func allRooms(of registry: Registry) -> Set<String> { Set(registry.rooms.map(\.id)) }

    /// The snapshot of `registry` for this week: teachers of the registry with their eligible lessons.
    /// Lessons of teachers missing from `registry.teachers` are left out (a validated registry has none).
    public func snapshot(of registry: Registry) -> SpotCheckSnapshot {
        Self.snapshot(of: teachers(of: registry))
    }

    /// The eligible teachers of `registry` with their eligible lessons, in registry order (the first
    /// half of ``snapshot(of:)``, apart so that its cost can be measured on its own).
    public func teachers(of registry: Registry) -> [SpotCheckTeacher] {
        var lessonsByTeacher: [String: [SpotCheckLesson]] = [:]
        let calendar = registry.schoolCalendar
        // The eligible rooms' lessons only (``Registry/roomLessons``), walked in registry order.
        let index = registry.roomLessons
        var picked: [Int32] = []
        for room in eligibleRooms { picked += index.lessons(ofRoom: room) }
        picked.sort()
        let lessons = picked.lazy.map { registry.lessons[Int($0)] }
        if calendar.restricts {
            let runsOn = Self.weekdaysRunning(in: week, calendar: calendar)
            for l in lessons where (1...7).contains(l.weekday) {
                for day in runsOn[l.weekday] {
                    lessonsByTeacher[l.teacherID, default: []].append(
                        SpotCheckLesson(roomID: l.roomID, weekday: day, start: l.start, end: l.end, subject: l.subject))
                }
            }
        } else {
            for l in lessons {
                lessonsByTeacher[l.teacherID, default: []].append(
                    SpotCheckLesson(roomID: l.roomID, weekday: l.weekday, start: l.start, end: l.end, subject: l.subject))
            }
        }
        var teachers: [SpotCheckTeacher] = []
        teachers.reserveCapacity(lessonsByTeacher.count)
        var seen: Set<String> = []
        for t in registry.teachers {
            guard let lessons = lessonsByTeacher[t.id], seen.insert(t.id).inserted else { continue }
            teachers.append(SpotCheckTeacher(id: t.id, schoolID: t.schoolID, lessons: lessons))
        }
        return teachers
    }

    /// For each timetable weekday (index 1…7), the weekdays of `week` whose school day runs it: `[d]`
    /// on an ordinary school day d, `[]` on a holiday, and a make-up Saturday following Tuesday's
    /// timetable adds 6 to index 2.
    public static func weekdaysRunning(in week: ISOWeek, calendar: TermCalendar) -> [[Int]] {
        var runsOn = [[Int]](repeating: [], count: 8)
        for day in 1...7 {
            if let followed = calendar.timetableWeekday(on: week.date(weekday: day)) { runsOn[followed].append(day) }
        }
        return runsOn
    }

    /// The canonical snapshot of eligible teachers taken from a registry.
    public static func snapshot(of teachers: [SpotCheckTeacher]) -> SpotCheckSnapshot {
        do {
            return try SpotCheckSnapshot(teachers: teachers)
        } catch {
            // Only a registry that skipped validation can get here (an empty id, a lesson ending
            // before it starts); drop what is invalid rather than trap.
            let valid = teachers.compactMap { t -> SpotCheckTeacher? in
                var t = t
                t.lessons = t.lessons.filter { (1...7).contains($0.weekday) && $0.start < $0.end && !$0.roomID.isEmpty }
                return t.id.isEmpty || t.schoolID.isEmpty || t.lessons.isEmpty ? nil : t
            }
            return (try? SpotCheckSnapshot(teachers: valid)) ?? SpotCheckSnapshot.empty
        }
    }
}

extension SpotCheckSnapshot {
    /// No eligible teacher at all.
    public static var empty: SpotCheckSnapshot { try! SpotCheckSnapshot(teachers: []) }
}
