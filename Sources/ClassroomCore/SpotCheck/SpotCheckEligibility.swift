/// Who can be called in a week: the teachers with at least one lesson that week in an eligible
/// room (ARCHITECTURE.md §6.1).
///
/// - Important: which rooms are eligible is decided by the caller — the collector from its agents
///   (camera and microphone verified, seen in the last 24 h), `spotcheck simulate` from the room
///   kind. The timetable is weekly, so every week of the year gives the same lessons; `week` is
///   kept for the seed and for when term dates and holidays are modelled.
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
        for l in registry.lessons where eligibleRooms.contains(l.roomID) {
            lessonsByTeacher[l.teacherID, default: []].append(
                SpotCheckLesson(roomID: l.roomID, weekday: l.weekday, start: l.start, end: l.end, subject: l.subject))
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
