import Crypto

/// When one recording room publishes its weekly self-test: a day and minute of the week.
public struct SelfTestSlot: Sendable, Hashable {
    public var date: LocalDate
    public var start: TimeOfDay
    public var durationSeconds: Int

    public init(date: LocalDate, start: TimeOfDay, durationSeconds: Int) {
        self.date = date
        self.start = start
        self.durationSeconds = durationSeconds
    }
}

/// Chooses each recording room's self-test slot of a week: pure, deterministic for the room and the
/// week, so every collector (and every restart) computes the same slot.
///
/// A slot lies in ``SelfTestWindow`` on one of its weekdays that is a school day of the term calendar
/// (a make-up day 调休 runs the timetable of the weekday it follows), at a five-minute step, at least
/// `marginMinutes` away from every timetabled lesson of the room on that day, and not before
/// `notBefore`. Rooms are spread over the candidate slots by a hash of the week and the room, so a
/// county's recording rooms do not all publish at once.
public enum SelfTestPlanner {
    /// Candidate start minutes are this far apart.
    public static let stepMinutes = 5

    /// The slot of `roomID` in `week`, or nil when the week offers none (a holiday week, a window
    /// full of lessons, or every candidate before `notBefore`).
    ///
    /// - Parameters:
    ///   - lessons: the room's timetabled lessons (any weekday).
    ///   - notBefore: the earliest local date and minute a slot may start (the collector's now plus
    ///     the dispatch lead), nil for none.
    public static func slot(
        roomID: String, week: ISOWeek, lessons: [Lesson], calendar: TermCalendar, window: SelfTestWindow,
        marginMinutes: Int = 5, notBefore: (date: LocalDate, minutes: Int)? = nil
    ) -> SelfTestSlot? {
        let candidates = self.candidates(
            week: week, lessons: lessons, calendar: calendar, window: window, marginMinutes: marginMinutes, notBefore: notBefore)
        guard !candidates.isEmpty else { return nil }
        return candidates[Int(spread(roomID: roomID, week: week) % UInt64(candidates.count))]
    }

    /// Every admissible slot of the week, in time order.
    public static func candidates(
        week: ISOWeek, lessons: [Lesson], calendar: TermCalendar, window: SelfTestWindow, marginMinutes: Int = 5,
        notBefore: (date: LocalDate, minutes: Int)? = nil
    ) -> [SelfTestSlot] {
        var slots: [SelfTestSlot] = []
        let length = window.durationMinutes
        for weekday in window.weekdays {
            let date = week.date(weekday: weekday)
            guard let timetable = calendar.timetableWeekday(on: date) else { continue }
            let busy = lessons.filter { $0.weekday == timetable }
            var minute = window.start.minutes
            while minute + length <= window.end.minutes {
                defer { minute += stepMinutes }
                if let (day, earliest) = notBefore, date < day || (date == day && minute < earliest) { continue }
                let from = minute - marginMinutes
                let to = minute + length + marginMinutes
                if busy.contains(where: { $0.start.minutes < to && $0.end.minutes > from }) { continue }
                slots.append(SelfTestSlot(date: date, start: TimeOfDay(minutes: minute), durationSeconds: window.durationSeconds))
            }
        }
        return slots
    }

    /// The room's stable position in the week: the first 8 bytes of SHA-256 over a label, the week and the room.
    static func spread(roomID: String, week: ISOWeek) -> UInt64 {
        let digest = SHA256.hash(data: Array("classroomfleet-selftest-v1|\(week)|\(roomID)".utf8))
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
