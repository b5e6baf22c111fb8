import ClassroomCore
import Foundation
import Testing

/// Usage minutes become lesson days only inside the device's room's timetabled lessons on school
/// days of the term calendar.
@Suite("Lesson audio digest")
struct LessonAudioDigestTests {
    static let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
    // Monday 2026-11-30 08:00–08:40 in R1 (weekday 1).
    static let lesson = Lesson(
        schoolID: "S1", roomID: "R1", teacherID: "T1", weekday: 1, start: TimeOfDay(hour: 8, minute: 0),
        end: TimeOfDay(hour: 8, minute: 40), subject: "语文")

    static func at(_ date: LocalDate, _ hour: Int, _ minute: Int) -> Int64 {
        Int64(zone.instant(of: date, at: TimeOfDay(hour: hour, minute: minute)).timeIntervalSince1970 * 1000)
    }

    static func sample(_ at: Int64, speech: Double = 0, peak: Double? = -80, clip: Double = 0, mics: Int = 1) -> LessonAudioSample
    {
        LessonAudioSample(minuteStart: at, speechSeconds: speech, peakDBFS: peak, clippingRatio: clip, microphones: mics)
    }

    @Test("minutes in the lesson count; before it, in another room's device, or without a microphone they do not")
    func lessonMinutesOnly() {
        let monday = LocalDate(year: 2026, month: 11, day: 30)
        let timetable = Timetable(lessons: [Self.lesson], zone: Self.zone)
        var digest = LessonAudioDigest(timetable: timetable, thresholds: AlertThresholds(), rooms: ["d1": "R1", "d2": "R2"])
        digest.add(deviceID: "d1", Self.sample(Self.at(monday, 7, 59)))
        digest.add(deviceID: "d1", Self.sample(Self.at(monday, 8, 0)))
        digest.add(deviceID: "d1", Self.sample(Self.at(monday, 8, 1), speech: 3))
        digest.add(deviceID: "d1", Self.sample(Self.at(monday, 8, 2), peak: -50, clip: 0.2))
        digest.add(deviceID: "d1", Self.sample(Self.at(monday, 8, 3), mics: 0))
        digest.add(deviceID: "d1", Self.sample(Self.at(monday, 8, 40)))
        digest.add(deviceID: "d2", Self.sample(Self.at(monday, 8, 5)))
        digest.add(deviceID: "d9", Self.sample(Self.at(monday, 8, 5)))
        #expect(digest.days["d1"] == [monday: LessonAudioDay(lessonMinutes: 3, heardMinutes: 2, clippingMinutes: 1)])
        #expect(digest.days["d2"] == nil && digest.days["d9"] == nil)
    }

    @Test("a holiday of the term calendar has no lessons, so its silence is not counted")
    func holiday() {
        let monday = LocalDate(year: 2026, month: 11, day: 30)
        let calendar = TermCalendar(days: [
            CalendarDay(date: LocalDate(year: 2026, month: 9, day: 1), kind: .termStart),
            CalendarDay(date: monday, kind: .holiday, note: "test"),
            CalendarDay(date: LocalDate(year: 2027, month: 1, day: 20), kind: .termEnd),
        ])
        let timetable = Timetable(lessons: [Self.lesson], zone: Self.zone, calendar: calendar)
        var digest = LessonAudioDigest(timetable: timetable, thresholds: AlertThresholds(), rooms: ["d1": "R1"])
        digest.add(deviceID: "d1", Self.sample(Self.at(monday, 8, 10)))
        digest.add(deviceID: "d1", Self.sample(Self.at(monday.adding(days: 7), 8, 10)))
        #expect(digest.days["d1"] == [monday.adding(days: 7): LessonAudioDay(lessonMinutes: 1)])
    }
}
