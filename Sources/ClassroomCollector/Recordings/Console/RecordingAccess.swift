import Foundation
import Hummingbird

/// Who may see a lesson's recording: the order must exist and lie in the viewer's scope (else 404,
/// as for any page of another school), and the viewer's role must watch lessons
/// (``OperatorPrincipal/mayWatchLesson(inSchool:)``; bureau viewers and auditors get 403).
struct RecordingAccess: Sendable {
    let console: ConsoleEnvironment

    func lesson(_ viewer: ConsoleViewer, orderID: String) async throws -> SpotCheckOrderRecord {
        guard orderID.count <= 200, let order = try await console.store.spotCheckOrder(id: orderID), !order.isSelfTest,
            viewer.mayAccess(school: order.schoolID)
        else { throw ConsoleFailure.notFound }
        guard viewer.principal.mayWatchLesson(inSchool: order.schoolID) else { throw ConsoleFailure.forbidden }
        return order
    }

    /// The recording to show: the newest playable one, else the newest of any state.
    func current(orderID: String) async throws -> RecordingRecord? {
        let all = try await console.store.recordings(orderID: orderID)
        return all.first { $0.state == .ready } ?? all.first
    }

    /// Records (or extends) the viewer's view of the recording in the view log.
    func touchView(_ viewer: ConsoleViewer, order: SpotCheckOrderRecord) async throws {
        let t = console.now()
        let start = LessonViewStart(
            orderID: order.id, viewer: viewer.actor, viewerName: viewer.displayName, viewerRole: viewer.role,
            viewerSchoolID: viewer.role == .schoolAdmin ? viewer.schoolID : nil, schoolID: order.schoolID,
            roomID: order.roomID, mode: .recording)
        let audit = AuditEntry(
            at: t, actor: viewer.actor, action: "lesson.view", target: "spotcheck_order:\(order.id)", schoolID: order.schoolID,
            detail: "recording")
        _ = try await console.store.touchLessonView(start, at: t, idleMillis: 30_000, audit: audit)
    }

    /// `12.3 MB`-style sizes (powers of 1024).
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// `H:MM:SS` or `M:SS`.
    static func duration(_ ms: Int64?) -> String {
        guard let ms else { return "—" }
        let s = (ms + 500) / 1000
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
