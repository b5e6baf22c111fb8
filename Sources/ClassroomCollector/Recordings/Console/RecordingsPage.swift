import Foundation
import Hummingbird

/// `GET /recordings[?county=NAME]`: the recent recordings of the viewer's scope (links to each lesson's
/// recording page) and, for bureau admins, the disk: recordings and bytes kept, the file system's
/// free space, retention, and the recordings deleted automatically because the disk was nearly full.
struct RecordingsPage: Sendable {
    let console: ConsoleEnvironment
    /// The file system probe of the disk section.
    var space: any FreeSpaceProbe = StatvfsFreeSpace()

    static let listed = 200
    static let pressureShown = 20

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("recordings") { request, _ in try await show(request) }
    }

    func show(_ request: Request) async throws -> Response {
        // Video: a county admin (like bureau viewers and auditors) reads figures, never recordings.
        let viewer = try await console.auth.requireViewer(request, roles: OperatorPrincipal.lessonWatchers)
        let t = viewer.text
        let county = try await console.page { try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"]) }
        let scope = try await console.page {
            try await viewer.principal.listScope(school: nil, county: county, store: console.store)
        }
        let settings = console.configuration.recordings
        var all: [RecordingRecord] = []
        for state in [RecordingState.ready, .pending, .failed] { all += try await console.store.recordings(state: state) }
        all = all.filter { viewer.mayAccess(school: $0.schoolID) && (scope?.contains($0.schoolID) ?? true) }.sorted {
            ($0.createdAt, $0.id) > ($1.createdAt, $1.id)
        }
        var rows: [[String: Any]] = []
        for recording in all.prefix(Self.listed) {
            let order = try await console.store.spotCheckOrder(id: recording.orderID)
            rows.append([
                "made": console.time(recording.createdAt), "orderID": recording.orderID,
                "orderHref": RecordingPage.escapePath(recording.orderID), "teacher": order?.teacherName ?? "—",
                "school": recording.schoolID, "state": t.t("recording_state_" + recording.state.rawValue),
                "size": recording.state == .ready ? RecordingAccess.size(recording.bytes) : "—",
                "duration": RecordingAccess.duration(recording.durationMillis),
                "expires": console.time(settings.expiry(of: recording.createdAt)),
            ])
        }
        var page: [String: Any] = ["rows": rows]
        let pressure = try await console.store.recordingDeletions(reason: .diskPressure, limit: Self.pressureShown)
        let weekAgo = console.now() - 7 * 86_400_000
        let recent = pressure.filter { ($0.deletedAt ?? 0) >= weekAgo && viewer.mayAccess(school: $0.schoolID) }
        if !recent.isEmpty { page["pressureAlert"] = t.t("recordings_pressure_alert", "\(recent.count)") }
        if viewer.role == .bureauAdmin {
            let totals = try await console.store.recordingTotals()
            let fs = try? space.space(of: Self.existingFolder(settings.directory))
            page["disk"] = [
                "count": "\(totals.count)", "bytes": RecordingAccess.size(totals.bytes),
                "free": fs.map { RecordingAccess.size($0.available) } ?? t.t("recordings_fs_unknown"),
                "total": fs.map { RecordingAccess.size($0.total) } ?? t.t("recordings_fs_unknown"),
                "retention": t.t("recordings_retention_days", "\(settings.retentionDays)"),
                "minimumFree": "\(settings.minimumFree)", "folder": settings.directory,
                "pressure": pressure.map { r -> [String: Any] in
                    [
                        "deletedAt": console.time(r.deletedAt), "orderID": r.orderID,
                        "orderHref": RecordingPage.escapePath(r.orderID),
                        "school": r.schoolID, "made": console.time(r.createdAt), "size": RecordingAccess.size(r.bytes),
                    ]
                },
            ]
        }
        return try await console.renderer.page(
            request, viewer: viewer, title: t.t("recordings_title"), section: .recordings, bodyTemplate: "recordings",
            values: ["page": page])
    }

    /// `path`, or its nearest existing parent (before the first recording the folder may not exist yet;
    /// it will be made on the same file system).
    static func existingFolder(_ path: String) -> String {
        var url = URL(filePath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: url.path), url.path != "/" { url.deleteLastPathComponent() }
        return url.path
    }
}
