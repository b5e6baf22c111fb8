import ClassroomSamples
import Testing

@testable import ClassroomCore

@Suite struct RegistryCalendarTests {
    static let calendar = """
        date,kind,note,timetable_weekday
        2026-09-01,term_start,秋季学期开学,
        2026-10-01,holiday,国庆节,
        2026-10-10,workday,国庆节调休,3
        2027-01-22,term_end,,
        """

    /// The fixture with `calendar` as its calendar.csv; line 3 replaced by `line` when given.
    static func files(_ calendar: String = calendar, line3: String? = nil) -> [String: [UInt8]] {
        var text = calendar
        if let line3 {
            text = text.split(separator: "\n").enumerated().map { $0.offset == 2 ? line3 : String($0.element) }.joined(
                separator: "\n")
        }
        var files = RegistryFixture().files()
        files[RegistryLoader.calendarFile] = Array(text.utf8)
        return files
    }

    static func problems(_ files: [String: [UInt8]]) -> [String] {
        do {
            _ = try RegistryLoader.load(files)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func calendarLoadsWithItsTermHolidayAndMakeUpDay() throws {
        let loaded = try RegistryLoader.load(Self.files())
        let c = try #require(loaded.registry.calendar)
        #expect(c.terms.count == 1)
        #expect(c.days.map(\.kind) == [.termStart, .holiday, .workday, .termEnd])
        #expect(
            c.days[2]
                == CalendarDay(
                    date: LocalDate(year: 2026, month: 10, day: 10), kind: .workday, note: "国庆节调休", timetableWeekday: 3))
        #expect(loaded.warnings.isEmpty)
        #expect(RegistrySummary(loaded.registry).calendar?.workdays == 1)
    }

    @Test func withoutCalendarFileTheRegistryHasNone() throws {
        let loaded = try RegistryLoader.load(RegistryFixture().files())
        #expect(loaded.registry.calendar == nil)
        #expect(RegistrySummary(loaded.registry).calendar == nil)
    }

    @Test func excelDatesAndThreeColumnsAreRead() throws {
        let text = "date,kind,note\n2026/9/1,term_start,\n2026/10/1,holiday,国庆节\n2027/1/22,term_end,\n"
        let c = try #require(try RegistryLoader.load(Self.files(text)).registry.calendar)
        #expect(
            c.terms == [
                TermCalendar.Term(first: LocalDate(year: 2026, month: 9, day: 1), last: LocalDate(year: 2027, month: 1, day: 22))
            ])
        #expect(!c.isSchoolDay(LocalDate(year: 2026, month: 10, day: 1)))
    }

    @Test(arguments: [
        ("2026-10-01,vacation,国庆节,", "calendar.csv:3: kind: 'vacation' is not one of term_start|term_end|holiday|workday"),
        ("2026-02-30,holiday,国庆节,", "calendar.csv:3: date: '2026-02-30' is not a date YYYY-MM-DD"),
        ("10月1日,holiday,国庆节,", "calendar.csv:3: date: '10月1日' is not a date YYYY-MM-DD"),
        ("2026-09-01,holiday,国庆节,", "calendar.csv:3: date: duplicate date 2026-09-01 (first on line 2)"),
        ("2026-10-11,workday,调休,8", "calendar.csv:3: timetable_weekday: '8' is not a weekday 1 (Monday) … 7 (Sunday)"),
        ("2026-10-01,holiday,国庆节,1", "calendar.csv:3: timetable_weekday: only a workday follows another weekday's timetable"),
        ("2026-10-01,holiday", "calendar.csv:3: has 2 fields, the header has 4"),
    ])
    func rowProblemsNameFileAndLine(line: String, expected: String) {
        let problems = Self.problems(Self.files(line3: line))
        #expect(problems == [expected])
    }

    @Test func termEndBeforeTermStartIsOneProblem() {
        let text = "date,kind,note\n2027-02-22,term_start,春季学期\n2027-01-22,term_end,\n"
        #expect(
            Self.problems(Self.files(text)) == [
                "calendar.csv:3: date: term_end 2027-01-22 is before term_start 2027-02-22 (line 2)"
            ])
    }

    @Test func overlappingTermsAreOneProblem() {
        let text = Self.calendar + "\n2026-12-01,term_start,,\n2027-03-01,term_end,,\n"
        #expect(
            Self.problems(Self.files(text)) == [
                "calendar.csv:6: date: term_start 2026-12-01 is inside the term that starts 2026-09-01 (line 2) and has not ended: terms overlap"
            ])
    }

    @Test func termWithoutEndAndCalendarWithoutTermAreProblems() {
        let open = "date,kind,note\n2026-09-01,term_start,\n2026-10-01,holiday,国庆节\n"
        #expect(Self.problems(Self.files(open)) == ["calendar.csv:2: date: the term that starts 2026-09-01 has no term_end"])
        let none = "date,kind,note\n2026-10-01,holiday,国庆节\n"
        #expect(
            Self.problems(Self.files(none)) == [
                "calendar.csv:1: no term: give each term's first and last day as term_start and term_end rows"
            ])
        #expect(Self.problems(Self.files("date,note\n")) == ["calendar.csv:1: kind: missing column"])
    }

    @Test func aBadCalendarRejectsTheWholeImportWithTheOtherFilesProblems() {
        var files = Self.files(line3: "2026-10-01,vacation,国庆节,")
        files["rooms.csv"]! += Array("\nR9,S9,教室,classroom,primary,,".utf8)
        let problems = Self.problems(files)
        #expect(problems.contains("rooms.csv:7: school_id: unknown school 'S9'"))
        #expect(problems.contains { $0.hasPrefix("calendar.csv:3: kind:") })
    }

    @Test func weekendMakeUpDayWithoutItsWeekdayIsAWarning() throws {
        let loaded = try RegistryLoader.load(Self.files(line3: "2026-09-20,workday,国庆节调休,"))
        #expect(
            loaded.warnings.map(\.description) == [
                "calendar.csv:3: timetable_weekday: make-up day 2026-09-20 follows the timetable of its own weekday 7; give the weekday (1–5) whose timetable it follows"
            ])
    }

    @Test func writerRoundTripsTheSampleCalendar() throws {
        let generated = SampleCounty(schools: 6, seed: 2026).generate()
        #expect(generated.calendar == SampleCounty.yunnanCalendar2026)
        let files = RegistryCSVWriter.files(generated)
        let text = String(decoding: try #require(files[RegistryLoader.calendarFile]).dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("date,kind,note,timetable_weekday\n2026-09-01,term_start,2026年秋季学期开学,\n"))
        #expect(text.contains("\n2026-09-20,workday,国庆节调休上班，按周二课表,2\n"))
        let loaded = try RegistryLoader.load(files)
        #expect(loaded.registry.calendar == generated.calendar)
        #expect(loaded.warnings.isEmpty)
    }
}
