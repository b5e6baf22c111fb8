import ClassroomCore
import Foundation
import Hummingbird

/// `GET /lessons/{orderID}/recording`: the recording of a called lesson in a `<video controls>`
/// (the MP4 comes from ``RecordingMedia``), the lesson's facts, size, duration and the date it
/// will be deleted; or why there is none (never recorded, still converting, failed, deleted and why).
struct RecordingPage: Sendable {
    let console: ConsoleEnvironment

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("lessons/:id/recording") { request, context in try await show(request, id: context.parameters.require("id")) }
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: ConsoleAuth.everyone)
        let access = RecordingAccess(console: console)
        let order = try await access.lesson(viewer, orderID: id)
        let t = viewer.text
        var page: [String: Any] = [
            "orderID": order.id, "teacher": order.teacherName, "school": order.schoolID, "room": order.roomID,
            "subject": order.subject,
            "lessonTime": "\(console.time(order.lessonStart)) – \(TimeOfDay(minutes: order.endMinute))",
        ]
        if let recording = try await access.current(orderID: order.id) {
            page["state"] = t.t("recording_state_" + recording.state.rawValue)
            page["made"] = console.time(recording.createdAt)
            switch recording.state {
            case .ready:
                page["ready"] = [
                    "src": "/lessons/\(Self.escapePath(order.id))/recording.mp4", "size": RecordingAccess.size(recording.bytes),
                    "duration": RecordingAccess.duration(recording.durationMillis),
                    "expires": console.time(console.configuration.recordings.expiry(of: recording.createdAt)),
                ]
            case .pending: page["message"] = t.t("recording_pending")
            case .failed: page["message"] = t.t("recording_failed")
            case .deleted:
                let reason = t.t("recording_reason_" + (recording.deleteReason ?? .retention).rawValue)
                page["message"] = t.t("recording_deleted", console.time(recording.deletedAt), reason)
            }
        } else {
            page["message"] = t.t("recording_none")
        }
        return try await console.renderer.page(
            request, viewer: viewer, title: t.t("recording_title"), section: .recordings, bodyTemplate: "recording",
            values: ["page": page])
    }

    /// An order id as one path segment.
    static func escapePath(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? id
    }
}
