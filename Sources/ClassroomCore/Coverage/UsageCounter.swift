/// Maps agents' usage minutes to the timetable's lesson periods: a period counts as used when at
/// least one active minute (display on with touch or speech) starts inside it.
///
/// Only rooms the agent verified as equipped (a smart blackboard) count, so an
/// unequipped room never lowers the rate; periods are those of the report window.
struct UsageCounter: Sendable {
    /// The registry's lessons, and their indices by room (indices keep the index small and cheap to build).
    let allLessons: [Lesson]
    let lessons: [String: [Int32]]
    /// Start times (ms since 1970) of active minutes by room, sorted.
    let activeMinutes: [String: [Int64]]
    let days: [Day]
    let zone: CountyTimeZone

    init(calculator c: CoverageCalculator) {
        allLessons = c.registry.lessons
        var byRoom: [String: [Int32]] = [:]
        byRoom.reserveCapacity(c.registry.rooms.count)
        for (i, lesson) in allLessons.enumerated() where c.evidence.rooms[lesson.roomID] != nil {
            // Only rooms with an agent can be verified as equipped.
            byRoom[lesson.roomID, default: []].append(Int32(i))
        }
        lessons = byRoom
        activeMinutes = c.evidence.usage.mapValues { $0.filter(\.isActive).map(\.minuteStart).sorted() }
        zone = c.zone
        days = (0..<max(1, c.windowDays)).map { n in
            let date = c.at.adding(days: -n)
            let midnight = c.zone.instant(of: date, at: TimeOfDay(minutes: 0))
            // Lesson instants are midnight + minutes unless the zone's offset changes that day (DST).
            let uniform =
                c.zone.secondsFromGMT(at: midnight) == c.zone.secondsFromGMT(at: midnight.addingTimeInterval(86_399))
            return Day(
                date: date, weekday: date.weekday, midnightMS: Int64(midnight.timeIntervalSince1970) * 1000, uniform: uniform)
        }
    }

    struct Day: Sendable {
        var date: LocalDate
        var weekday: Int
        var midnightMS: Int64
        var uniform: Bool
    }

    func instantMS(_ day: Day, _ time: TimeOfDay) -> Int64 {
        if day.uniform { return day.midnightMS + Int64(time.minutes) * 60_000 }
        return Int64((zone.instant(of: day.date, at: time).timeIntervalSince1970 * 1000).rounded())
    }

    /// Used and timetabled periods of the school's equipped rooms, by stage (a shared room's
    /// lessons count for the school's first stage).
    func periods(school: School, rooms: [Room], figures: SchoolFigures) -> [Stage: (used: Int, total: Int)] {
        var out: [Stage: (used: Int, total: Int)] = [:]
        guard let firstStage = school.stages.first else { return out }
        for room in rooms {
            guard let roomLessons = lessons[room.id], isEquipped(room, figures) else { continue }
            let stage = room.stage.stage ?? firstStage
            let active = activeMinutes[room.id] ?? []
            var used = 0
            var total = 0
            for day in days {
                for index in roomLessons where allLessons[Int(index)].weekday == day.weekday {
                    let lesson = allLessons[Int(index)]
                    total += 1
                    if Self.contains(active, from: instantMS(day, lesson.start), to: instantMS(day, lesson.end)) { used += 1 }
                }
            }
            out[stage, default: (0, 0)].used += used
            out[stage, default: (0, 0)].total += total
        }
        return out
    }

    private func isEquipped(_ room: Room, _ figures: SchoolFigures) -> Bool {
        figures.equippedRooms.contains(room.id)
    }

    /// Whether a sorted list holds a value in [from, to).
    static func contains(_ sorted: [Int64], from: Int64, to: Int64) -> Bool {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < from { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] < to
    }
}
