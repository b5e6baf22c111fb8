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
        let calendar = registry.schoolCalendar
        // The eligible rooms' lessons only (``Registry/roomLessons``), walked in registry order.
        let index = registry.roomLessons
        var picked: [Int32] = []
        for room in eligibleRooms { picked += index.lessons(ofRoom: room) }
        picked.sort()
        let runsOn = calendar.restricts ? Self.weekdaysRunning(in: week, calendar: calendar) : nil
        // Each teacher's lessons in a list of its own, by the teacher's place in the registry
        // (``Registry/lessonTeachers``, kept with it): hashing the teacher id of each of the province's
        // 750,000 eligible lessons took a third of the snapshot's time.
        let teacherOf = registry.lessonTeachers
        var lists = [[SpotCheckLesson]](repeating: [], count: registry.teachers.count)
        registry.lessons.withUnsafeBufferPointer { all in
            for i in picked {
                // Lessons of a teacher missing from the registry are left out.
                guard let k = teacherOf[lesson: Int(i)] else { continue }
                let l = all[Int(i)]
                if let runsOn {
                    guard (1...7).contains(l.weekday) else { continue }
                    for day in runsOn[l.weekday] {
                        lists[k].append(
                            SpotCheckLesson(roomID: l.roomID, weekday: day, start: l.start, end: l.end, subject: l.subject))
                    }
                } else {
                    lists[k].append(
                        SpotCheckLesson(roomID: l.roomID, weekday: l.weekday, start: l.start, end: l.end, subject: l.subject))
                }
            }
        }
        // In registry order; a later teacher with the same id has no lessons (they went to the first), and
        // a teacher whose lessons all fall on holidays has none either: neither is eligible.
        var teachers: [SpotCheckTeacher] = []
        for (k, t) in registry.teachers.enumerated() where !lists[k].isEmpty {
            teachers.append(SpotCheckTeacher(id: t.id, schoolID: t.schoolID, lessons: lists[k]))
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
