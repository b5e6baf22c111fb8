/// Maps agents' usage minutes to the timetable's lesson periods: a period counts as used when at
/// least one active minute (display on with touch or speech) starts inside it.
///
/// Only rooms the agent verified as equipped (smart blackboard or multimedia classroom) count, so an
/// unequipped room never lowers the rate; periods are those of the report window.
struct UsageCounter: Sendable {
    /// Lessons by room.
    let lessons: [String: [Lesson]]
    /// Start times (ms since 1970) of active minutes by room, sorted.
    let activeMinutes: [String: [Int64]]
    let days: [LocalDate]
    let zone: CountyTimeZone

    init(calculator c: CoverageCalculator) {
        var byRoom: [String: [Lesson]] = [:]
        for lesson in c.registry.lessons { byRoom[lesson.roomID, default: []].append(lesson) }
        lessons = byRoom
        activeMinutes = c.evidence.usage.mapValues { $0.filter(\.isActive).map(\.minuteStart).sorted() }
        days = (0..<max(1, c.windowDays)).map { c.at.adding(days: -$0) }.reversed()
        zone = c.zone
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
                let weekday = day.weekday
                for lesson in roomLessons where lesson.weekday == weekday {
                    total += 1
                    let start = Int64((zone.instant(of: day, at: lesson.start).timeIntervalSince1970 * 1000).rounded())
                    let end = Int64((zone.instant(of: day, at: lesson.end).timeIntervalSince1970 * 1000).rounded())
                    if Self.contains(active, from: start, to: end) { used += 1 }
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
