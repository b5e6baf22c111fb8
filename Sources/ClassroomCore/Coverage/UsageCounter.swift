/// Maps agents' usage minutes to the timetable's lesson periods: a period counts as used when at
/// least one active minute (display on with touch or speech) starts inside it.
///
/// Only rooms the agent verified as equipped (a smart blackboard) count, so an unequipped room
/// never lowers the rate; periods are those of the report window's school days (the registry's
/// ``TermCalendar``), so holidays neither lower nor raise it. Only the equipped rooms' lessons are
/// walked (``Registry/roomLessons``): the province-scale timetable has millions of lessons.
struct UsageCounter: Sendable {
    /// Dense slots of the equipped rooms.
    private let slots: [String: Int]
    private let used: [Int]
    private let total: [Int]

    struct Day: Sendable {
        var date: LocalDate
        var midnightMS: Int64
        var uniform: Bool
    }

    /// - Parameter equipped: the ids of rooms verified as equipped.
    init(calculator c: CoverageCalculator, equipped: Set<String>) {
        var slots: [String: Int] = [:]
        slots.reserveCapacity(equipped.count)
        var active: [[Int64]] = []
        for id in equipped {  // slot order does not matter: counts are per slot
            slots[id] = active.count
            active.append((c.evidence.activeMinutes[id] ?? []).sorted())
        }
        // The window's school days by the ISO weekday (1…7) whose timetable they run: holidays run
        // none, a make-up day (调休) the weekday it follows.
        var daysByWeekday = [[Day]](repeating: [], count: 8)
        let calendar = c.registry.schoolCalendar
        for n in 0..<max(1, c.windowDays) {
            let date = c.at.adding(days: -n)
            guard let runs = calendar.timetableWeekday(on: date) else { continue }
            let midnight = c.zone.instant(of: date, at: TimeOfDay(minutes: 0))
            // Lesson instants are midnight + minutes unless the zone's offset changes that day (DST).
            let uniform = c.zone.secondsFromGMT(at: midnight) == c.zone.secondsFromGMT(at: midnight.addingTimeInterval(86_399))
            daysByWeekday[runs].append(
                Day(date: date, midnightMS: Int64(midnight.timeIntervalSince1970) * 1000, uniform: uniform))
        }
        func instantMS(_ day: Day, _ time: TimeOfDay) -> Int64 {
            if day.uniform { return day.midnightMS + Int64(time.minutes) * 60_000 }
            return Int64((c.zone.instant(of: day.date, at: time).timeIntervalSince1970 * 1000).rounded())
        }
        var used = [Int](repeating: 0, count: active.count)
        var total = [Int](repeating: 0, count: active.count)
        // The equipped rooms' lessons only (``Registry/roomLessons``, kept with the registry).
        let lessons = c.registry.lessons
        let index = c.registry.roomLessons
        for (room, slot) in slots {
            for i in index.lessons(ofRoom: room) {
                let lesson = lessons[Int(i)]
                guard (1...7).contains(lesson.weekday) else { continue }
                for day in daysByWeekday[lesson.weekday] {
                    total[slot] += 1
                    if Self.contains(active[slot], from: instantMS(day, lesson.start), to: instantMS(day, lesson.end)) {
                        used[slot] += 1
                    }
                }
            }
        }
        self.slots = slots
        self.used = used
        self.total = total
    }

    /// Used and timetabled periods of the school's equipped rooms, by stage (a shared room's
    /// lessons count for the school's first stage).
    func periods(school: School, rooms: [Room]) -> [Stage: (used: Int, total: Int)] {
        var out: [Stage: (used: Int, total: Int)] = [:]
        guard let firstStage = school.stages.first else { return out }
        for room in rooms {
            guard let slot = slots[room.id], total[slot] > 0 else { continue }
            let stage = room.stage.stage ?? firstStage
            out[stage, default: (0, 0)].used += used[slot]
            out[stage, default: (0, 0)].total += total[slot]
        }
        return out
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
