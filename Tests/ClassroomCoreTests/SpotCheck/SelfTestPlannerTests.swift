import ClassroomCore
import Testing

/// The weekly self-test slot of a recording room: inside the window, on school days, clear of the
/// room's lessons, stable for the room and the week. Week 2026-W48 runs Monday 11-23 … Sunday 11-29.
@Suite("Self-test slots")
struct SelfTestPlannerTests {
    static let week = ISOWeek(year: 2026, week: 48)
    static let window = SelfTestWindow.default  // 12:10–13:30, Mon–Fri, 60 s

    static func lesson(_ weekday: Int, _ start: String, _ end: String) -> Lesson {
        Lesson(
            schoolID: "S", roomID: "R", teacherID: "T", weekday: weekday, start: TimeOfDay(parsing: start)!,
            end: TimeOfDay(parsing: end)!, subject: "语文")
    }

    @Test func everyCandidateLiesInTheWindowOnAWeekdayAtFiveMinuteSteps() throws {
        let all = SelfTestPlanner.candidates(week: Self.week, lessons: [], calendar: .unrestricted, window: Self.window)
        // 12:10 … 13:25 (the 60 s publish must end by 13:30): 16 starts a day, five days.
        #expect(all.count == 16 * 5)
        #expect(all.allSatisfy { (1...5).contains($0.date.weekday) })
        #expect(all.allSatisfy { $0.start.minutes >= 12 * 60 + 10 && $0.start.minutes + 1 <= 13 * 60 + 30 })
        #expect(all.allSatisfy { $0.start.minutes % 5 == 0 && $0.durationSeconds == 60 })
        let slot = try #require(
            SelfTestPlanner.slot(roomID: "R", week: Self.week, lessons: [], calendar: .unrestricted, window: Self.window))
        #expect(all.contains(slot))
    }

    @Test func aSlotKeepsFiveMinutesAwayFromTheRoomsLessons() {
        // Lessons 12:00–12:40 and 13:00–13:40 every weekday: a start needs 5 min after 12:40 and the
        // 1-minute publish plus 5 min before 13:00, so 12:45 and 12:50 (12:55 + 6 min runs into 13:00).
        let lessons = (1...5).flatMap { [Self.lesson($0, "12:00", "12:40"), Self.lesson($0, "13:00", "13:40")] }
        let all = SelfTestPlanner.candidates(week: Self.week, lessons: lessons, calendar: .unrestricted, window: Self.window)
        #expect(all.map(\.start.description) == Array(repeating: ["12:45", "12:50"], count: 5).flatMap { $0 })
        // A room taught through the whole window every day has no slot this week.
        let busy = (1...5).map { Self.lesson($0, "12:00", "13:40") }
        #expect(
            SelfTestPlanner.slot(roomID: "R", week: Self.week, lessons: busy, calendar: .unrestricted, window: Self.window) == nil
        )
    }

    @Test func aHolidayWeekHasNoSlotAndAMakeUpDayRunsItsTimetable() throws {
        let holiday = TermCalendar(
            days: [
                CalendarDay(date: LocalDate(year: 2026, month: 9, day: 1), kind: .termStart),
                CalendarDay(date: LocalDate(year: 2027, month: 1, day: 22), kind: .termEnd),
            ]
                + (23...27).map { CalendarDay(date: LocalDate(year: 2026, month: 11, day: $0), kind: .holiday, note: "假") })
        #expect(
            SelfTestPlanner.slot(roomID: "R", week: Self.week, lessons: [], calendar: holiday, window: Self.window) == nil)
        // Saturday 11-28 is worked with Monday's timetable: with Saturday in the window it is the only
        // day, and Monday's lesson 12:00–13:00 blocks the starts before 13:05.
        let makeUp = TermCalendar(
            days: [
                CalendarDay(date: LocalDate(year: 2026, month: 9, day: 1), kind: .termStart),
                CalendarDay(date: LocalDate(year: 2027, month: 1, day: 22), kind: .termEnd),
            ]
                + (23...27).map { CalendarDay(date: LocalDate(year: 2026, month: 11, day: $0), kind: .holiday, note: "假") }
                + [CalendarDay(date: LocalDate(year: 2026, month: 11, day: 28), kind: .workday, note: "调休", timetableWeekday: 1)])
        var weekend = Self.window
        weekend.weekdays = [1, 2, 3, 4, 5, 6]
        let all = SelfTestPlanner.candidates(
            week: Self.week, lessons: [Self.lesson(1, "12:00", "13:00")], calendar: makeUp, window: weekend)
        #expect(Set(all.map(\.date)) == [LocalDate(year: 2026, month: 11, day: 28)])
        #expect(all.first?.start.description == "13:05")
    }

    @Test func theSlotIsStableAndNeverBeforeNotBefore() throws {
        let a = SelfTestPlanner.slot(roomID: "R7", week: Self.week, lessons: [], calendar: .unrestricted, window: Self.window)
        let b = SelfTestPlanner.slot(roomID: "R7", week: Self.week, lessons: [], calendar: .unrestricted, window: Self.window)
        #expect(a != nil && a == b)
        // Rooms spread over the week rather than sharing one minute.
        let rooms = (1...40).compactMap {
            SelfTestPlanner.slot(roomID: "R\($0)", week: Self.week, lessons: [], calendar: .unrestricted, window: Self.window)
        }
        #expect(Set(rooms).count > 20)
        // From Friday 13:00 on only Friday 13:00 … 13:25 remain.
        let friday = LocalDate(year: 2026, month: 11, day: 27)
        let late = SelfTestPlanner.candidates(
            week: Self.week, lessons: [], calendar: .unrestricted, window: Self.window, notBefore: (friday, 13 * 60))
        #expect(late.map(\.start.description) == ["13:00", "13:05", "13:10", "13:15", "13:20", "13:25"])
        #expect(late.allSatisfy { $0.date == friday })
        let over = SelfTestPlanner.slot(
            roomID: "R", week: Self.week, lessons: [], calendar: .unrestricted, window: Self.window,
            notBefore: (friday, 13 * 60 + 26))
        #expect(over == nil)
    }

    @Test func badSettingsAreRefusedNamingTheirKey() throws {
        let keys = (window: "--selftest-window", days: "--selftest-days", seconds: "--selftest-seconds")
        let parsed = try SelfTestWindow.parse(window: "16:40–17:30", days: "mon,wed-fri", seconds: 90, keys: keys)
        #expect(parsed.start.description == "16:40" && parsed.end.description == "17:30")
        #expect(parsed.weekdays == [1, 3, 4, 5] && parsed.durationMinutes == 2)
        let bad: [(String, String, Int, String)] = [
            ("12:10", "mon-fri", 60, "--selftest-window"),
            ("13:30-12:10", "mon-fri", 60, "--selftest-window"),
            ("12:10-12:10", "mon-fri", 60, "--selftest-window"),
            ("25:00-26:00", "mon-fri", 60, "--selftest-window"),
            ("12:10-13:30", "fri-mon", 60, "--selftest-days"),
            ("12:10-13:30", "8", 60, "--selftest-days"),
            ("12:10-13:30", "", 60, "--selftest-days"),
            ("12:10-13:30", "mon-fri", 5, "--selftest-seconds"),
            ("12:10-13:30", "mon-fri", 601, "--selftest-seconds"),
        ]
        for (window, days, seconds, key) in bad {
            #expect(throws: SelfTestWindowError.self) {
                try SelfTestWindow.parse(window: window, days: days, seconds: seconds, keys: keys)
            }
            do {
                _ = try SelfTestWindow.parse(window: window, days: days, seconds: seconds, keys: keys)
            } catch {
                #expect(error.key == key, "\(window) \(days) \(seconds): \(error)")
                #expect(error.description.hasPrefix(key + ": "))
            }
        }
    }
}
