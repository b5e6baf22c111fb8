import ClassroomCore
import Foundation
import Hummingbird

/// `/patrol` (巡课): the rooms of the viewer's scope with a lesson now — school, room, teacher,
/// subject, until when, device state — with an "open" button (or why the room cannot be patrolled),
/// and the recent patrol views of the view log (who, room, from–to). `POST /patrol/open` opens or
/// joins the room's patrol (``PatrolQueries/open(_:roomID:)``) and redirects to the watch page
/// `/lessons/{orderID}`.
struct PatrolPage: Sendable {
    let console: ConsoleEnvironment

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("patrol") { request, _ in try await show(request) }
        router.post("patrol/open") { request, _ in try await open(request) }
    }

    var queries: PatrolQueries {
        console.patrolQueries
            ?? PatrolQueries(store: console.store, dispatcher: nil, configuration: console.configuration, now: console.now)
    }

    func show(_ request: Request, flash: ConsoleFlash? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorPrincipal.lessonWatchers)
        let t = viewer.text
        let county = try await console.page { try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"]) }
        let rooms = try await console.page { try await queries.list(viewer.principal, county: county) }
        let history = try await queries.history(viewer.principal, county: county)
        let registry = try await console.store.registry()
        let schoolNames = Dictionary(registry.schools.map { ($0.id, $0.name) }) { a, _ in a }
        let roomNames = Dictionary(registry.rooms.map { ($0.id, $0.name) }) { a, _ in a }
        let endReasons = try await endReasons(of: history)
        let rows: [[String: Any]] = rooms.map { s in
            var row: [String: Any] = [
                "school": s.school.name, "room": s.room.name, "roomID": s.room.id,
                "teacher": s.teacherName ?? "—", "subject": s.lesson?.lesson.subject ?? "—",
                "until": s.lesson.map { $0.lesson.end.description } ?? "—", "device": deviceState(s, text: t),
            ]
            if let refusal = s.refusal {
                row["refusal"] = t.t("patrol_refused_" + refusal.code.rawValue)
            } else {
                row["button"] = s.openPatrol == nil ? t.t("patrol_open") : t.t("patrol_join")
            }
            return row
        }
        let views: [[String: Any]] = history.map { v in
            var row: [String: Any] = [
                "viewer": v.start.viewerName, "role": t.role(v.start.viewerRole),
                "school": schoolNames[v.start.schoolID] ?? v.start.schoolID,
                "room": roomNames[v.start.roomID] ?? v.start.roomID, "from": console.time(v.startedAt),
                "to": console.time(v.lastSeenAt), "minutes": String(max(0, v.durationMillis) / 60_000),
                "orderID": v.start.orderID,
            ]
            if let reason = endReasons[v.start.orderID] { row["ended"] = t.t("patrol_end_" + reason.rawValue) }
            return row
        }
        return try await console.renderer.page(
            request, viewer: viewer, title: t.t("nav_patrol"), section: .patrol, bodyTemplate: "patrol",
            values: ["page": ["rooms": rows, "views": views, "now": console.time(console.now())]], flash: flash,
            status: status)
    }

    func open(_ request: Request) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorPrincipal.lessonWatchers)
        let form = try await ConsoleForm.read(request)
        try ConsoleAuth.verifyCSRF(form, viewer: viewer)
        guard let room = form.text("room"), room.count <= 64 else {
            throw ConsoleFailure.badRequest("field 'room' is required (a room_id of at most 64 characters)")
        }
        do {
            let opened = try await console.page { try await queries.open(viewer.principal, roomID: room) }
            return ConsoleHTTP.redirect("/lessons/\(opened.order.id)")
        } catch let error as APIError where error.status == .unprocessableContent {
            let code = PatrolRefusal.Code(rawValue: error.body.error)
            let message = code.map { viewer.text.t("patrol_refused_" + $0.rawValue) } ?? error.body.message
            return try await show(
                request, flash: ConsoleFlash(.error, viewer.text.t("patrol_refused", room, message)),
                status: .unprocessableContent)
        }
    }

    /// 在线/离线 with camera and microphone counts, or "no device".
    func deviceState(_ s: PatrolRoomState, text t: ConsoleText) -> String {
        guard let d = s.device else { return t.t("patrol_device_none") }
        let state = s.online ? t.t("patrol_device_online") : t.t("patrol_device_offline")
        return t.t("patrol_device_state", state, String(d.cameras ?? 0), String(d.microphones ?? 0))
    }

    /// Why each patrol of `views` ended, when it has.
    func endReasons(of views: [LessonViewRecord]) async throws -> [String: PatrolEndReason] {
        var reasons: [String: PatrolEndReason] = [:]
        for id in Set(views.map(\.start.orderID)) {
            if let reason = try await console.store.patrol(orderID: id)?.endReason { reasons[id] = reason }
        }
        return reasons
    }
}
