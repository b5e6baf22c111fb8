/// Maps agents' usage minutes to the timetable's lesson periods: a period counts as used when at
/// least one active minute (display on with touch or speech) starts inside it.
///
/// Only rooms the agent verified as equipped (a smart blackboard) count, so an unequipped room
/// never lowers the rate; periods are those of the report window's school days (the registry's
/// ``TermCalendar``), so holidays neither lower nor raise it. Only the equipped rooms' lessons are
/// walked (``Registry/roomLessons``): the province-scale timetable has millions of lessons.
struct UsageCounter: Sendable {
    /// Used and timetabled periods by room ordinal (index in ``Registry/rooms``); 0 for rooms not
    /// equipped: arrays, so that a school's rooms are looked up by index, not by hashing their ids.
    private let used: [Int]
    private let total: [Int]

    struct Day: Sendable {
        var date: LocalDate
        var midnightMS: Int64
        var uniform: Bool
    }

    /// - Parameter equipped: the ordinals of the rooms verified as equipped, ascending: the rooms'
    ///   lessons are then read roughly in the order they are stored (a province's are 500 MB).
    init(calculator c: CoverageCalculator, equipped: [Int]) {
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
        let rooms = c.registry.rooms
        var used = [Int](repeating: 0, count: rooms.count)
        var total = [Int](repeating: 0, count: rooms.count)
        // The equipped rooms' lessons only (``Registry/roomLessons``, kept with the registry).
        let index = c.registry.roomLessons
        c.registry.lessons.withUnsafeBufferPointer { lessons in
            for room in equipped {
                let id = rooms[room].id
                let active = (c.evidence.activeMinutes[id] ?? []).sorted()
                var u = 0
                var t = 0
                for i in index.lessons(ofRoom: id) {
                    // Through the buffer: a `Lesson` copy would retain its four strings.
                    let weekday = lessons[Int(i)].weekday
                    guard (1...7).contains(weekday) else { continue }
                    let start = lessons[Int(i)].start
                    let end = lessons[Int(i)].end
                    for day in daysByWeekday[weekday] {
                        t += 1
                        if Self.contains(active, from: instantMS(day, start), to: instantMS(day, end)) { u += 1 }
                    }
                }
                used[room] = u
                total[room] = t
            }
        }
        self.used = used
        self.total = total
    }

    /// Used and timetabled periods of the school's equipped rooms (ordinals in `registryRooms`), by
    /// stage (a shared room's lessons count for the school's first stage).
    func periods(school: School, rooms: ArraySlice<Int32>, of registryRooms: [Room]) -> [Stage: (used: Int, total: Int)] {
        var out: [Stage: (used: Int, total: Int)] = [:]
        guard let firstStage = school.stages.first else { return out }
        for r in rooms {
            let room = Int(r)
            guard total[room] > 0 else { continue }
            let stage = registryRooms[room].stage.stage ?? firstStage
            out[stage, default: (0, 0)].used += used[room]
            out[stage, default: (0, 0)].total += total[room]
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
