import Foundation
import Testing

@testable import ClassroomCore

@Suite struct CalendarTests {
    @Test(arguments: [
        ("2026-11-24", "2026-W48", 2),
        ("2021-01-03", "2020-W53", 7),
        ("2024-12-30", "2025-W01", 1),
        ("2027-01-01", "2026-W53", 5),
    ])
    func isoWeekOfDate(date: String, week: String, weekday: Int) throws {
        let d = try #require(LocalDate(parsing: date))
        #expect(ISOWeek(containing: d).description == week)
        #expect(d.weekday == weekday)
        #expect(ISOWeek(parsing: week)?.date(weekday: weekday) == d)
    }

    @Test func weekParsingRejectsNonexistentWeeks() {
        #expect(ISOWeek(parsing: "2026-W53") != nil)
        #expect(ISOWeek(parsing: "2025-W53") == nil)
        #expect(ISOWeek(parsing: "2026-W00") == nil)
        #expect(ISOWeek(parsing: "2026W48") == nil)
        #expect(ISOWeek(parsing: "2026-W48")?.next.description == "2026-W49")
        #expect(ISOWeek(parsing: "2026-W53")?.next.description == "2027-W01")
    }

    @Test func daysRoundTripAcrossCenturies() {
        for days in stride(from: -200_000, through: 200_000, by: 997) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(LocalDate(parsing: "2024-02-29") != nil)
        #expect(LocalDate(parsing: "2023-02-29") == nil)
    }

    @Test func timeOfDayParsing() {
        #expect(TimeOfDay(parsing: "8:05")?.minutes == 485)
        #expect(TimeOfDay(parsing: "23:59")?.description == "23:59")
        for bad in ["24:00", "8:5", "08:60", "", "ab:cd", "08:00:00", "-1:00", "٠٨:٠٠", "８:００", "8:005", "123:00", ":00", "8:"] {
            #expect(TimeOfDay(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func shanghaiFromSystemTzdata() throws {
        let zone = try CountyTimeZone.named("Asia/Shanghai")
        let monday = try #require(LocalDate(parsing: "2026-11-23"))
        let instant = zone.instant(of: monday, at: TimeOfDay(hour: 8, minute: 0))
        #expect(instant.timeIntervalSince1970 == 1_795_392_000)  // 2026-11-23T00:00:00Z
        let local = zone.localTime(of: instant)
        #expect(local.date == monday && local.time == TimeOfDay(hour: 8, minute: 0))
        // China observed daylight saving time in 1986–1991: the zone data is used, not a fixed +8.
        let summer1988 = zone.instant(of: LocalDate(year: 1988, month: 7, day: 1), at: TimeOfDay(hour: 12, minute: 0))
        #expect(zone.secondsFromGMT(at: summer1988) == 9 * 3600)
    }

    @Test func daylightSavingRuleFromFooter() throws {
        let zone = try CountyTimeZone.named("Europe/Berlin")
        // 2040 is beyond the transition table: the POSIX footer rule decides.
        let summer = zone.instant(of: LocalDate(year: 2040, month: 7, day: 1), at: TimeOfDay(hour: 12, minute: 0))
        let winter = zone.instant(of: LocalDate(year: 2040, month: 1, day: 15), at: TimeOfDay(hour: 12, minute: 0))
        #expect(zone.secondsFromGMT(at: summer) == 7200)
        #expect(zone.secondsFromGMT(at: winter) == 3600)
    }

    @Test func badZonesGiveClearErrors() {
        #expect(throws: CountyTimeZoneError.self) { try CountyTimeZone.named("Mars/Olympus") }
        #expect(throws: CountyTimeZoneError.self) { try CountyTimeZone.named("../etc/passwd") }
        #expect(throws: CountyTimeZoneError.self) { try CountyTimeZone(identifier: "x", tzif: Array("TZif2".utf8)) }
    }
}
