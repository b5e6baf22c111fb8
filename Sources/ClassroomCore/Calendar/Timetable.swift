#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A timetabled lesson placed on a real date, with its instants in the county's zone.
public struct ScheduledLesson: Sendable, Hashable {
    public var lesson: Lesson
    public var date: LocalDate
    public var start: Date
    public var end: Date

    public init(lesson: Lesson, date: LocalDate, start: Date, end: Date) {
        self.lesson = lesson
        self.date = date
        self.start = start
        self.end = end
    }
}

/// The weekly timetable indexed by room, for "what is running in room r at instant t".
///
/// - Important: only the school days of `calendar` run lessons: a holiday none, a make-up day (调休)
///   those of the weekday it follows. With ``TermCalendar/unrestricted`` every ISO week repeats it.
public struct Timetable: Sendable {
    public let zone: CountyTimeZone
    public let calendar: TermCalendar
    /// Lessons per room, per weekday (index 1…7), sorted by start.
    private let byRoom: [String: [[Lesson]]]
    private let all: [Lesson]

    public init(lessons: [Lesson], zone: CountyTimeZone, calendar: TermCalendar = .unrestricted) {
        self.zone = zone
        self.calendar = calendar
        self.all = lessons
        var index: [String: [[Lesson]]] = [:]
        for lesson in lessons {
            index[lesson.roomID, default: Array(repeating: [], count: 8)][lesson.weekday].append(lesson)
        }
        for (room, days) in index {
            index[room] = days.map { $0.sorted { $0.start < $1.start } }
        }
        byRoom = index
    }

    /// Every lesson of `week` on its school days, on its date, in timetable order (weekday, then start).
    public func lessons(in week: ISOWeek) -> [ScheduledLesson] {
        let sorted = all.sorted { ($0.weekday, $0.start, $0.roomID) < ($1.weekday, $1.start, $1.roomID) }
        guard calendar.restricts else { return sorted.map { schedule($0, in: week) } }
        return (1...7).flatMap { day -> [ScheduledLesson] in
            let date = week.date(weekday: day)
            guard let runs = calendar.timetableWeekday(on: date) else { return [] }
            return sorted.filter { $0.weekday == runs }.map { schedule($0, on: date) }
        }
    }

    /// Places one timetable entry on `date` (a school day that runs its weekday's timetable).
    public func schedule(_ lesson: Lesson, on date: LocalDate) -> ScheduledLesson {
        ScheduledLesson(
            lesson: lesson, date: date, start: zone.instant(of: date, at: lesson.start),
            end: zone.instant(of: date, at: lesson.end))
    }

    /// Places one timetable entry on its date in `week`.
    public func schedule(_ lesson: Lesson, in week: ISOWeek) -> ScheduledLesson {
        let date = week.date(weekday: lesson.weekday)
        return ScheduledLesson(
            lesson: lesson, date: date, start: zone.instant(of: date, at: lesson.start),
            end: zone.instant(of: date, at: lesson.end))
    }

    /// The lesson running in `roomID` at `instant` (start inclusive, end exclusive), if any.
    public func lessonRunning(inRoom roomID: String, at instant: Date) -> ScheduledLesson? {
        let local = zone.localTime(of: instant)
        guard let runs = calendar.timetableWeekday(on: local.date), let day = byRoom[roomID]?[runs] else { return nil }
        for lesson in day where lesson.start <= local.time && local.time < lesson.end {
            return schedule(lesson, on: local.date)
        }
        return nil
    }

    /// Every lesson running anywhere at `instant`.
    public func lessonsRunning(at instant: Date) -> [ScheduledLesson] {
        byRoom.keys.sorted().compactMap { lessonRunning(inRoom: $0, at: instant) }
    }
}
