import ClassroomCore
import ClassroomReports
import Hummingbird

/// `/alerts?state=open|closed|all`: the device-health alerts of the viewer's scope (a school admin
/// its own school), newest first, with where, what, since when and until when; `?format=csv`
/// downloads the same table.
struct AlertsPage: Sendable {
    let console: ConsoleEnvironment

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("alerts") { request, _ in try await show(request) }
    }

    func show(_ request: Request) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: AlertQueries.roles)
        let t = viewer.text
        let state = try await console.page { try AlertQueries.state(request.uri.queryParameters["state"].map(String.init)) }
        let alerts = try await console.page {
            try await AlertQueries(store: console.store).list(viewer.principal, state: state, school: nil, limit: 500)
        }
        let registry = try await console.store.registry()
        let schools = Dictionary(registry.schools.map { ($0.id, $0.name) }) { a, _ in a }
        let rooms = Dictionary(registry.rooms.map { ($0.id, $0.name) }) { a, _ in a }
        let chinese = viewer.language == .zhCN
        let rows: [[String: Any]] = alerts.map { a in
            var row: [String: Any] = [
                "id": String(a.id), "kind": a.kind.rawValue, "title": chinese ? a.kind.chineseTitle : a.kind.englishTitle,
                "school": schools[a.schoolID] ?? a.schoolID, "room": a.roomID.map { rooms[$0] ?? $0 } ?? "—",
                "detail": chinese ? a.chineseDetail : a.detail, "opened": console.time(a.openedAt),
                "closed": console.time(a.closedAt), "state": a.isOpen ? t.t("alerts_state_open") : t.t("alerts_state_closed"),
                "stateClass": a.isOpen ? "bad" : "ok",
            ]
            if let device = a.deviceID { row["device"] = device }
            if a.isOpen, let since = a.clearSince { row["clearing"] = t.t("alerts_clearing", console.time(since)) }
            return row
        }
        if ConsoleCSV.wanted(request) {
            let header = [
                t.t("alerts_col_kind"), t.t("col_school"), t.t("col_room"), t.t("alerts_col_device"), t.t("alerts_col_detail"),
                t.t("alerts_col_opened"), t.t("alerts_col_closed"),
            ]
            let body = rows.map { r in
                ["title", "school", "room", "device", "detail", "opened", "closed"].map { (r[$0] as? String) ?? "" }
            }
            return ConsoleCSV.response(CSVTable(header: header, rows: body), filename: "alerts-\(state.rawValue).csv")
        }
        let tabs: [[String: Any]] = AlertStateFilter.allCases.map {
            ["href": "/alerts?state=\($0.rawValue)", "label": t.t("alerts_state_" + $0.rawValue), "active": $0 == state]
        }
        return try await console.renderer.page(
            request, viewer: viewer, title: t.t("nav_alerts"), section: .alerts, bodyTemplate: "alerts",
            values: ["page": ["alerts": rows, "tabs": tabs, "state": state.rawValue, "count": String(rows.count)]])
    }
}
