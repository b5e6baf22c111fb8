import ClassroomCore
import Foundation
import Hummingbird

extension SpotCheckAPI {
    /// `POST /api/v1/spotcheck/now`: a random lesson in progress in an eligible room (of one school
    /// when asked, always the own school for a school admin), ordered and dispatched at once.
    func orderNow(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin, .schoolAdmin])
        let body = try await JSONBody.decode(
            SpotCheckNowRequest.self, from: request, limit: 16 * 1024, allowedKeys: SpotCheckNowRequest.fields)
        var school = body.schoolID
        if who.role == .schoolAdmin {
            guard school == nil || school == who.schoolID else {
                throw APIError.forbidden("school '\(school ?? "")' is not yours")
            }
            school = who.schoolID
        }
        if let school, !(try await store.schoolExists(school)) {
            throw APIError.badRequest("field 'school_id': no school '\(school)' in the registry")
        }
        let t = now()
        let registry = try await store.registry()
        let rooms = try await SpotCheckEligibilityReader(store: store, configuration: configuration).eligibleRooms(now: t)
        let timetable = Timetable(
            lessons: registry.lessons.filter { rooms[$0.roomID] != nil && (school == nil || $0.schoolID == school) },
            zone: configuration.zone, calendar: registry.schoolCalendar)
        let running = timetable.lessonsRunning(at: Date(timeIntervalSince1970: Double(t) / 1000))
        guard let chosen = running.randomElement() else {
            let today = configuration.zone.localTime(of: Date(timeIntervalSince1970: Double(t) / 1000)).date
            let holiday = registry.schoolCalendar.isSchoolDay(today) ? "" : " (today is not a school day)"
            throw APIError(
                .unprocessableContent, "no_lesson_running",
                "no lesson is in progress now in an eligible room\(school.map { " of school '\($0)'" } ?? "")\(holiday)")
        }
        // On a make-up day (调休) the lesson is another weekday's: the order names today's weekday.
        var lesson = chosen.lesson
        lesson.weekday = chosen.date.weekday
        let week = ISOWeek(containing: chosen.date)
        let name = registry.teachers.first { $0.id == lesson.teacherID }?.name ?? lesson.teacherID
        let order = SpotCheckOrderRecord(
            id: "now-" + Secrets.newID().prefix(8), week: week.description, source: "now", position: 0, round: 0,
            teacherID: lesson.teacherID, teacherName: name, schoolID: lesson.schoolID, roomID: lesson.roomID,
            weekday: lesson.weekday, startMinute: lesson.start.minutes, endMinute: lesson.end.minutes, subject: lesson.subject,
            lessonStart: configuration.instant(week: week, weekday: lesson.weekday, minutes: lesson.start.minutes),
            lessonEnd: configuration.instant(week: week, weekday: lesson.weekday, minutes: lesson.end.minutes), createdAt: t)
        try await store.insertSpotCheckOrder(
            order,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "spotcheck.now", target: "spotcheck_order:\(order.id)",
                schoolID: order.schoolID, detail: "room \(order.roomID), teacher \(order.teacherID)"))
        _ = try await dispatcher.dispatch(order, now: t)
        let stored = try await store.spotCheckOrder(id: order.id) ?? order
        return try JSONBody.response(SpotCheckOrderView(stored), status: .created)
    }
}
