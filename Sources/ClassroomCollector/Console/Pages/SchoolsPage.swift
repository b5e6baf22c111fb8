import ClassroomCore
import ClassroomReports
import Hummingbird

/// `/schools[?county=NAME]`: every school the viewer may see (a school admin: its own, a county admin
/// its county's; `county=` narrows any role, ``OperatorPrincipal/listScope(school:county:store:)``), sortable, with its
/// devices, the indicators it misses and the items it lacks (gap counts from the coverage report of
/// ``CoverageQueries``); CSV export.
struct SchoolsPage: Sendable {
    let console: ConsoleEnvironment

    static let sortKeys = ["id", "name", "township", "classes", "devices", "offline", "not_met", "missing"]

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("schools") { request, context in try await list(request, context: context) }
        router.get("schools/:id") { request, context in
            try await SchoolPage(console: console).show(request, id: context.parameters.require("id"), context: context)
        }
    }

    func list(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorRole.readers)
        let t = viewer.text
        let county = try await console.page { try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"]) }
        let scope = try await console.page {
            try await viewer.principal.listScope(school: nil, county: county, store: console.store)
        }
        let registry = try await console.store.registry()
        let report = try await SchoolPage.report(
            console, viewer: viewer, profile: request.uri.queryParameters["profile"], county: county, context: context)
        let counts = try await console.devices.counts(viewer.principal)
        let coverage = Dictionary((report?.schools ?? []).map { ($0.schoolID, $0) }) { a, _ in a }
        let roomsPerSchool = Dictionary(grouping: registry.rooms, by: \.schoolID).mapValues(\.count)
        var rows = registry.schools.filter { scope?.contains($0.id) ?? true }.map { s in
            SchoolsModel.Row(
                s, rooms: roomsPerSchool[s.id] ?? 0, devices: counts[s.id] ?? DeviceCounts(total: 0, online: 0),
                coverage: coverage[s.id], labels: CoverageLabels(lang: viewer.language == .zhCN ? .zh : .en))
        }
        let countyParameter =
            county.map { "&county=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        let sort = request.uri.queryParameters["sort"].map(String.init).flatMap { Self.sortKeys.contains($0) ? $0 : nil } ?? "id"
        let descending = request.uri.queryParameters["dir"] == "desc"
        rows.sort { a, b in
            let (x, y) = descending ? (b, a) : (a, b)
            return x.sortKey(sort) == y.sortKey(sort) ? a.id < b.id : x.sortKey(sort) < y.sortKey(sort)
        }
        if ConsoleCSV.wanted(request) {
            var table = CSVTable(header: SchoolsModel.csvHeader(t))
            table.rows = rows.map(\.csv)
            return ConsoleCSV.response(table, filename: "schools.csv")
        }
        let model = SchoolsModel(
            rows: rows,
            columns: Self.sortKeys.map { key in
                SchoolsModel.Column(
                    label: t.t("col_school_" + key),
                    href: "/schools?sort=\(key)&dir=\(key == sort && !descending ? "desc" : "asc")" + countyParameter,
                    sorted: key == sort ? (descending ? "▼" : "▲") : "", numeric: !["id", "name", "township"].contains(key))
            }, csvHref: "/schools?format=csv&sort=\(sort)&dir=\(descending ? "desc" : "asc")" + countyParameter,
            profile: report?.profileTitle ?? "", summary: t.t("schools_total", String(rows.count)))
        return try await console.renderer.page(
            request, viewer: viewer, title: t.t("nav_schools"), section: .schools, bodyTemplate: "schools",
            values: ["page": model])
    }
}

/// What the school list shows.
struct SchoolsModel: Sendable {
    struct Column: Sendable {
        var label: String
        var href: String
        var sorted: String
        var numeric: Bool
    }
    struct Row: Sendable {
        var id: String
        var href: String
        var name: String
        var township: String
        var classes: Int
        var students: Int
        var rooms: Int
        var devices: Int
        var offline: Int
        var notMet: Int
        var notMetNames: String
        var missing: Int

        init(_ s: School, rooms: Int, devices: DeviceCounts, coverage: SchoolCoverage?, labels l: CoverageLabels) {
            id = s.id
            href = "/schools/" + (s.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? s.id)
            name = s.name
            township = s.township
            classes = s.totalClasses
            students = s.totalStudents
            self.rooms = rooms
            self.devices = devices.total
            offline = devices.total - devices.online
            let misses = coverage?.indicators.filter { $0.met == false } ?? []
            notMet = misses.count
            notMetNames = misses.map {
                l.t("\(l.name($0.key))（\(l.stage($0.stage))）", "\(l.name($0.key)) (\(l.stage($0.stage)))")
            }.joined(separator: l.t("、", "; "))
            missing = coverage?.gaps.reduce(0) { $0 + $1.missing } ?? 0
        }

        /// Sort value of a column: numbers compare as numbers (zero-padded), text as text.
        func sortKey(_ key: String) -> String {
            func n(_ v: Int) -> String { String(repeating: "0", count: max(0, 12 - String(v).count)) + String(v) }
            switch key {
            case "name": return name
            case "township": return township
            case "classes": return n(classes)
            case "devices": return n(devices)
            case "offline": return n(offline)
            case "not_met": return n(notMet)
            case "missing": return n(missing)
            default: return id
            }
        }

        var csv: [String] {
            [
                id, name, township, String(classes), String(students), String(rooms), String(devices), String(offline),
                String(notMet), notMetNames, String(missing),
            ]
        }
    }

    var rows: [Row]
    var columns: [Column]
    var csvHref: String
    var profile: String
    var summary: String

    static func csvHeader(_ t: ConsoleText) -> [String] {
        [
            "col_school_id", "col_school_name", "col_school_township", "col_school_classes", "col_students", "col_rooms",
            "col_school_devices", "col_school_offline", "col_school_not_met", "col_not_met_names", "col_school_missing",
        ].map { t.t($0) }
    }
}
