import ClassroomSamples
import Testing

@testable import ClassroomCore

@Suite struct TermCalendarTests {
    static func date(_ text: String) -> LocalDate { LocalDate(parsing: text)! }

    /// Autumn 2026 in small: term 9-01…10-30, Mid-Autumn and National Day off, two make-up days.
    static let autumn = TermCalendar(days: [
        CalendarDay(date: date("2026-09-01"), kind: .termStart),
        CalendarDay(date: date("2026-09-20"), kind: .workday, note: "调休", timetableWeekday: 2),
        CalendarDay(date: date("2026-09-25"), kind: .holiday, note: "中秋节"),
        CalendarDay(date: date("2026-10-01"), kind: .holiday, note: "国庆节"),
        CalendarDay(date: date("2026-10-02"), kind: .holiday, note: "国庆节"),
        CalendarDay(date: date("2026-10-05"), kind: .holiday, note: "国庆节"),
        CalendarDay(date: date("2026-10-06"), kind: .holiday, note: "国庆节"),
        CalendarDay(date: date("2026-10-07"), kind: .holiday, note: "国庆节"),
        CalendarDay(date: date("2026-10-08"), kind: .holiday, note: "国庆节（县里延长）"),
        CalendarDay(date: date("2026-10-09"), kind: .holiday, note: "国庆节（县里延长）"),
        CalendarDay(date: date("2026-10-10"), kind: .workday, note: "调休"),
        CalendarDay(date: date("2026-10-30"), kind: .termEnd),
    ])

    @Test func schoolDaysAreTermWeekdaysWithoutHolidaysPlusMakeUpDays() {
        let c = Self.autumn
        #expect(c.terms == [TermCalendar.Term(first: Self.date("2026-09-01"), last: Self.date("2026-10-30"))])
        #expect(c.timetableWeekday(on: Self.date("2026-08-31")) == nil)  // Monday before the term
        #expect(c.timetableWeekday(on: Self.date("2026-09-01")) == 2)  // first day, a Tuesday
        #expect(c.timetableWeekday(on: Self.date("2026-09-19")) == nil)  // an ordinary Saturday
        #expect(c.timetableWeekday(on: Self.date("2026-09-20")) == 2)  // Sunday worked with Tuesday's timetable
        #expect(c.timetableWeekday(on: Self.date("2026-09-24")) == 4)
        #expect(c.timetableWeekday(on: Self.date("2026-09-25")) == nil)  // 中秋节
        #expect(c.timetableWeekday(on: Self.date("2026-10-10")) == 6)  // worked Saturday, its own timetable
        #expect(c.timetableWeekday(on: Self.date("2026-10-30")) == 5)  // last day, a Friday
        #expect(c.timetableWeekday(on: Self.date("2026-11-02")) == nil)  // after the term
        // 2026-W40 is Monday 9-28 … Sunday 10-04: Monday to Wednesday are taught.
        let w40 = ISOWeek(year: 2026, week: 40)
        #expect(c.schoolDays(in: w40) == ["2026-09-28", "2026-09-29", "2026-09-30"].map(Self.date))
        #expect(c.noSchool(in: w40) == nil)
    }

    @Test func aWeekOfHolidaysHasNoSchoolButAMakeUpSaturdayCounts() {
        // 2026-W41: Monday 10-05 … Sunday 10-11; Monday to Friday off, Saturday 10-10 worked.
        let w41 = ISOWeek(year: 2026, week: 41)
        #expect(Self.autumn.schoolDays(in: w41) == [Self.date("2026-10-10")])
        var withoutMakeUp = Self.autumn.days
        withoutMakeUp.removeAll { $0.date == Self.date("2026-10-10") }
        let off = TermCalendar(days: withoutMakeUp).noSchool(in: w41)
        #expect(off == NoSchoolWeek(week: w41, kind: .holidays, notes: ["国庆节", "国庆节（县里延长）"]))
        #expect(off?.description == "2026-W41 has no school day (国庆节, 国庆节（县里延长）): no draw")
        #expect(off?.chineseDescription == "本周无教学日（国庆节、国庆节（县里延长）），不抽查")
    }

    @Test func weeksBetweenTermsAreNamedAfterTheirBreak() {
        let c = SampleCounty.yunnanCalendar2026
        let winter = c.noSchool(in: ISOWeek(year: 2027, week: 5))  // 2-01 … 2-07, Spring Festival
        #expect(winter?.kind == .winterBreak)
        #expect(winter?.chineseDescription == "本周无教学日（寒假），不抽查")
        #expect(winter?.description == "2027-W05 has no school day (winter break): no draw")
        #expect(c.noSchool(in: ISOWeek(year: 2027, week: 30))?.kind == .summerBreak)
        #expect(c.noSchool(in: ISOWeek(year: 2027, week: 3)) == nil)  // 1-18 … 1-22, the term's last week
        #expect(c.noSchool(in: ISOWeek(year: 2027, week: 8)) == nil)  // 2-22, the spring term starts
    }

    @Test func withoutACalendarEveryDayRunsItsOwnWeekday() {
        let c = TermCalendar.unrestricted
        #expect(c.timetableWeekday(on: Self.date("2027-02-07")) == 7)  // a Sunday in the winter break
        #expect(c.schoolDays(in: ISOWeek(year: 2027, week: 5)).count == 7)
        #expect(c.noSchool(in: ISOWeek(year: 2027, week: 5)) == nil)
        #expect(Registry(schools: [], rooms: [], teachers: [], lessons: []).schoolCalendar == .unrestricted)
    }

    @Test func sampleCalendarFiguresAreTheHandCountedOnes() throws {
        // Autumn 9-01…1-22: 104 weekdays − 7 weekday holidays + 2 make-up days = 99.
        // Spring 2-22…7-09: 100 weekdays − 5 weekday holidays + 2 make-up days = 97.
        let figures = RegistrySummary.CalendarFigures(SampleCounty.yunnanCalendar2026)
        #expect(figures.terms.count == 2)
        #expect(figures.schoolDays == 196)
        #expect(figures.holidays == 18)
        #expect(figures.workdays == 4)
        #expect(SampleCounty.yunnanCalendar2026.timetableWeekday(on: Self.date("2027-05-08")) == 3)
    }
}
