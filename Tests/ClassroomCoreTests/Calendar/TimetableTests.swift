import Foundation
import Testing

@testable import ClassroomCore

@Suite struct TimetableTests {
    @Test func lessonsOfAWeekAndTheLessonRunningNow() throws {
        let registry = try RegistryLoader.load(RegistryFixture().files()).registry
        let zone = try CountyTimeZone.named("Asia/Shanghai")
        let timetable = Timetable(lessons: registry.lessons, zone: zone)
        let week = try #require(ISOWeek(parsing: "2026-W48"))
        let lessons = timetable.lessons(in: week)
        #expect(lessons.count == 6)
        let first = try #require(lessons.first)
        #expect(first.date == LocalDate(year: 2026, month: 11, day: 23))
        // 08:00 in Shanghai is 00:00 UTC.
        #expect(first.start.timeIntervalSince1970 == 1_795_392_000)
        #expect(first.end.timeIntervalSince(first.start) >= 40 * 60)

        let during = Date(timeIntervalSince1970: 1_795_392_000 + 20 * 60)
        #expect(timetable.lessonRunning(inRoom: "R1", at: during)?.lesson.teacherID == "T1")
        // The end instant belongs to the next period, not this one.
        let atEnd = Date(timeIntervalSince1970: 1_795_392_000 + 40 * 60)
        #expect(timetable.lessonRunning(inRoom: "R1", at: atEnd) == nil)
        #expect(timetable.lessonRunning(inRoom: "R3", at: during) == nil)
        #expect(Set(timetable.lessonsRunning(at: during).map(\.lesson.roomID)) == ["R1", "R5"])
        // The same slot a week later is found in that week.
        let nextWeek = during.addingTimeInterval(7 * 86_400)
        #expect(timetable.lessonRunning(inRoom: "R1", at: nextWeek)?.date == LocalDate(year: 2026, month: 11, day: 30))
    }
}
