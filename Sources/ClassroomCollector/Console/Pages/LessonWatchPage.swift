import ClassroomCore
import Foundation
import Hummingbird

/// `/lessons/{orderID}`: the watch page of a called lesson or a patrol — the lesson's facts, its
/// stream state, and the browser's own `<video>` playing the HLS that nginx serves behind the
/// collector's authorization (``MediaAuthorization``). `/lessons/{orderID}/state` answers the state
/// as JSON for the page's script (`watch.js`), which reloads the player when the stream starts or ends.
///
/// Who: ``OperatorPrincipal/mayWatchLesson(inSchool:)``; another school's lesson is 404 for a school
/// admin, and roles that never see video (bureau viewer, auditor) get 403.
struct LessonWatchPage: Sendable {
    let console: ConsoleEnvironment

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("lessons/:id") { request, context in try await show(request, id: context.parameters.require("id")) }
        router.get("lessons/:id/state") { request, context in try await state(request, id: context.parameters.require("id")) }
    }

    /// The order when the viewer may watch it: 404 for an unknown id or another school, 403 for a role without video.
    func watchable(_ viewer: ConsoleViewer, id: String) async throws -> SpotCheckOrderRecord {
        // A self-test (自检推流) is no lesson: nobody watches it.
        guard LessonViewing.isOrderID(id), let order = try await console.store.spotCheckOrder(id: id), !order.isSelfTest else {
            throw ConsoleFailure.notFound
        }
        try viewer.requireSchool(order.schoolID)
        guard viewer.principal.mayWatchLesson(inSchool: order.schoolID) else { throw ConsoleFailure.forbidden }
        return order
    }

    func streamState(_ order: SpotCheckOrderRecord) -> LessonStreamState {
        LessonStreamState.of(order, now: console.now(), graceMillis: console.configuration.spotcheck.graceSeconds * 1000)
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request)
        let order = try await watchable(viewer, id: id)
        let t = viewer.text
        let registry = try await console.store.registry()
        let school = registry.schools.first { $0.id == order.schoolID }?.name ?? order.schoolID
        let room = registry.rooms.first { $0.id == order.roomID }?.name ?? order.roomID
        let state = streamState(order)
        let day = console.zone.localTime(of: ConsoleEnvironment.date(order.lessonStart)).date
        let values: [String: Any] = [
            "lesson": [
                "id": order.id, "school": school, "schoolID": order.schoolID, "room": room, "teacher": order.teacherName,
                "subject": order.subject,
                "window": "\(day) \(t.t("weekday_\(order.weekday)")) "
                    + "\(TimeOfDay(minutes: order.startMinute))–\(TimeOfDay(minutes: order.endMinute))",
                "source": t.t("source_" + order.source), "state": state.rawValue,
                "stateLabel": t.t("live_state_" + state.rawValue),
                "started": console.time(order.publishStartedAt), "ended": console.time(order.publishEndedAt),
                "playlist": LessonViewing.playlistPath(orderID: order.id), "stateHref": "/lessons/\(order.id)/state",
                "recordingHref": "/lessons/\(order.id)/recording", "evaluationHref": "/lessons/\(order.id)/evaluation",
                "schoolHref": "/schools/\(order.schoolID)",
            ]
        ]
        return try await console.renderer.page(
            request, viewer: viewer, title: t.t("live_title", order.teacherName),
            section: order.source == PatrolOrders.source ? .patrol : .spotchecks,
            bodyTemplate: "lesson", values: values)
    }

    /// `{"state": "live", "label": "…", "playlist": "/media/hls/…"}` for the page's script.
    func state(_ request: Request, id: String) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request)
        let order = try await watchable(viewer, id: id)
        let state = streamState(order)
        let body: [String: String] = [
            "state": state.rawValue, "label": viewer.text.t("live_state_" + state.rawValue),
            "playlist": LessonViewing.playlistPath(orderID: order.id),
        ]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
