import ClassroomCore
import FoundationEssentials
import Testing

/// The usage rate on school days only: CoverageVerifiedTests' county (report day Wednesday
/// 2026-11-25, 7-day window 11-19 … 11-25; room A1 timetabled Monday and Tuesday 08:00–08:40, active
/// on Monday 23rd, idle on Tuesday 24th) with a term calendar.
@Suite struct CoverageCalendarTests {
    let zone = CoverageFixtures.zone

    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        zone.instant(of: LocalDate(year: 2026, month: 11, day: day), at: TimeOfDay(minutes: hour * 60 + minute))
    }

    func minute(_ date: Date, active: Bool) -> UsageMinute {
        UsageMinute(
            minuteStart: Int64(date.timeIntervalSince1970 * 1000), displayOn: true, touchEvents: active ? 12 : 0,
            speechSeconds: active ? 30 : 0, meanDBFS: -30, peakDBFS: -10, clippingRatio: 0, devicesPresent: DevicesPresent())
    }

    func usage(_ calendar: [CalendarDay]?, extra: [UsageMinute] = []) throws -> IndicatorValue? {
        let kit = HardwareInventory(
            touchscreens: [Touchscreen(id: "touch", name: "ILITEK", devnode: "/dev/input/event5")],
            displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected)])
        var registry = CoverageFixtures.registry
        registry.calendar = calendar.map(TermCalendar.init(days:))
        let evidence = CoverageEvidence(
            rooms: ["A1": RoomEvidence(inventory: kit, inventoryAt: at(24, 8), lastSeen: at(25, 20))],
            usage: ["A1": [minute(at(23, 8, 10), active: true), minute(at(24, 8, 10), active: false)] + extra])
        let report = CoverageCalculator(
            profile: CoverageFixtures.profile, registry: registry, basis: .verified, evidence: evidence,
            at: CoverageFixtures.day, zone: zone
        ).report()
        return report.schools.first { $0.schoolID == "A" }?.indicator(.usageRate, .primary)
    }

    static func day(_ d: Int, _ kind: CalendarDay.Kind, follows: Int? = nil) -> CalendarDay {
        CalendarDay(date: LocalDate(year: 2026, month: 11, day: d), kind: kind, timetableWeekday: follows)
    }

    static let term = [
        CalendarDay(date: LocalDate(year: 2026, month: 9, day: 1), kind: .termStart),
        CalendarDay(date: LocalDate(year: 2027, month: 1, day: 22), kind: .termEnd),
    ]

    @Test func aTermWeekCountsLikeNoCalendar() throws {
        // Both lessons are on school days: 1 used of 2, with or without the calendar.
        let plain = try #require(try usage(nil))
        let term = try #require(try usage(Self.term))
        #expect(plain.numerator == 1 && plain.denominator == 2)
        #expect(term.numerator == 1 && term.denominator == 2 && term.value == 0.5)
    }

    @Test func aHolidayIsNotAnUnusedLesson() throws {
        // Tuesday 24th a holiday: its idle lesson is not timetabled that day; 1 used of 1.
        let u = try #require(try usage(Self.term + [Self.day(24, .holiday)]))
        #expect(u.numerator == 1)
        #expect(u.denominator == 1)
        #expect(u.value == 1)
    }

    @Test func aMakeUpSaturdayCountsTheLessonsOfTheWeekdayItFollows() throws {
        // Saturday 21st worked with Monday's timetable, A1 active at 08:05: 2 used of 3.
        let u = try #require(
            try usage(Self.term + [Self.day(21, .workday, follows: 1)], extra: [minute(at(21, 8, 5), active: true)]))
        #expect(u.numerator == 2)
        #expect(u.denominator == 3)
    }

    @Test func outsideTheTermsNothingIsTimetabled() throws {
        // The term ended before the window: no lesson to use, so no rate (not 0 %).
        let ended = [
            CalendarDay(date: LocalDate(year: 2026, month: 9, day: 1), kind: .termStart),
            CalendarDay(date: LocalDate(year: 2026, month: 11, day: 13), kind: .termEnd),
        ]
        #expect(try usage(ended)?.value == nil)
        #expect(try usage(ended)?.denominator ?? 0 == 0)
    }
}
