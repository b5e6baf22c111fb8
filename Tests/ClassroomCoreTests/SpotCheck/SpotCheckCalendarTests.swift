import ClassroomSamples
import Testing

@testable import ClassroomCore

/// The draw on the registry fixture with a term calendar: school days only, no draw without school.
@Suite struct SpotCheckCalendarTests {
    /// Term 9-01…12-31; 10-05…10-09 (all of 2026-W41) off, Monday 10-12 off and Saturday 10-17 worked
    /// with Monday's timetable.
    static let calendar = """
        date,kind,note,timetable_weekday
        2026-09-01,term_start,秋季学期,
        2026-10-05,holiday,国庆节,
        2026-10-06,holiday,国庆节,
        2026-10-07,holiday,国庆节,
        2026-10-08,holiday,国庆节,
        2026-10-09,holiday,国庆节,
        2026-10-12,holiday,县运动会,
        2026-10-17,workday,调休,1
        2026-12-31,term_end,,
        """

    static func registry() throws -> Registry {
        var files = RegistryFixture().files()
        files[RegistryLoader.calendarFile] = Array(calendar.utf8)
        return try RegistryLoader.load(files).registry
    }

    static let w40 = ISOWeek(year: 2026, week: 40)
    static let w41 = ISOWeek(year: 2026, week: 41)
    static let w42 = ISOWeek(year: 2026, week: 42)

    /// (teacher, room, weekday, start) of a snapshot, sorted.
    static func lessons(_ s: SpotCheckSnapshot) -> [String] {
        s.teachers.flatMap { t in t.lessons.map { "\(t.id) \($0.roomID) \($0.weekday) \($0.start)" } }.sorted()
    }

    @Test func holidaysDropLessonsAndAMakeUpSaturdayRunsMondaysTimetable() throws {
        let r = try Self.registry()
        let rooms = SpotCheckEligibility.allRooms(of: r)
        // An ordinary week: the timetable as it is (fixture: T1 Mon R1 and Tue R2, T2 Mon R1 and R5, T3 Wed, T4 Fri).
        #expect(
            Self.lessons(SpotCheckEligibility(week: Self.w40, eligibleRooms: rooms).snapshot(of: r)) == [
                "T1 R1 1 08:00", "T1 R2 2 10:00", "T2 R1 1 08:50", "T2 R5 1 08:00", "T3 R3 3 08:00", "T4 R4 5 14:30",
            ])
        // A week of holidays: nobody.
        #expect(SpotCheckEligibility(week: Self.w41, eligibleRooms: rooms).snapshot(of: r).teachers.isEmpty)
        // Monday off, Saturday 10-17 worked with Monday's lessons: they move to weekday 6.
        #expect(
            Self.lessons(SpotCheckEligibility(week: Self.w42, eligibleRooms: rooms).snapshot(of: r)) == [
                "T1 R1 6 08:00", "T1 R2 2 10:00", "T2 R1 6 08:50", "T2 R5 6 08:00", "T3 R3 3 08:00", "T4 R4 5 14:30",
            ])
    }

    @Test func aHolidayWeekHasNoDrawAndTheRotationGoesOn() throws {
        let r = try Self.registry()
        let simulation = SpotCheckSimulation(
            registry: r, eligibleRooms: SpotCheckEligibility.allRooms(of: r), count: 2, beacon: { _ in "b" })
        var skipped: [NoSchoolWeek] = []
        let results = simulation.run(from: Self.w40, weeks: 3) { _, _ in
        } skipped: {
            skipped.append($0)
        }
        #expect(results.map(\.week) == [Self.w40, Self.w42])
        #expect(skipped == [NoSchoolWeek(week: Self.w41, kind: .holidays, notes: ["国庆节"])])
        // Two schools a week of the fixture's three (S1, S2, S3): W40 calls two, W42 continues round 1.
        #expect(results[0].orders.count == 2 && results[1].orders.count == 2)
        #expect(results[1].orders.first { $0.round == 1 } != nil)
        #expect(Set(results[0].orders.map(\.schoolID)).count == 2)
        // Every W42 order is on one of that week's school days (Tue, Wed, Fri, Sat), never the Monday holiday.
        for o in results[1].orders { #expect([2, 3, 5, 6].contains(o.weekday), "\(o)") }
        // The week's input is the week's own snapshot: a reveal re-runs it.
        let input = SpotCheckDrawInput(
            week: Self.w42, count: 2, beacon: "b",
            snapshot: SpotCheckEligibility(week: Self.w42, eligibleRooms: SpotCheckEligibility.allRooms(of: r)).snapshot(of: r),
            rounds: results[0].roundsAfter)
        #expect(SpotCheckDraw.run(input).orders == results[1].orders)
    }

    @Test func withoutCalendarEveryWeekIsDrawnOnTheSameSnapshot() throws {
        var r = try Self.registry()
        r.calendar = nil
        let rooms = SpotCheckEligibility.allRooms(of: r)
        let simulation = SpotCheckSimulation(registry: r, eligibleRooms: rooms, count: 2, beacon: { _ in "b" })
        var skipped: [NoSchoolWeek] = []
        let results = simulation.run(from: Self.w40, weeks: 3) { _, _ in
        } skipped: {
            skipped.append($0)
        }
        #expect(results.map(\.week) == [Self.w40, Self.w41, Self.w42])
        #expect(skipped.isEmpty)
        let fixed = SpotCheckSimulation(snapshot: simulation.snapshot, count: 2, beacon: { _ in "b" })
        #expect(try fixed.run(from: Self.w40, weeks: 3) == results)
    }
}
