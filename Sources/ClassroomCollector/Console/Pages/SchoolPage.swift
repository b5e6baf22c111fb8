import ClassroomCore
import ClassroomReports
import Hummingbird

/// `/schools/{id}`: the school's rooms and devices with their last contact, its usage heat-map
/// (weekday × lesson period), its coverage indicators and its spot-check history. Another school's
/// page (and CSV) is 404 for a school admin.
struct SchoolPage: Sendable {
    let console: ConsoleEnvironment

    static let historyWeeks = 8

    /// The coverage report of `profile` (default luxi-2025 or the first profile) as `viewer` may see
    /// it; nil when no registry was imported or the profile is missing.
    static func report(
        _ console: ConsoleEnvironment, viewer: ConsoleViewer, profile asked: Substring?, county: String? = nil,
        context: CollectorRequestContext
    ) async throws -> CoverageReport? {
        let available = ProfileDirectory(configured: console.configuration.profilesDirectory).available
        let profile =
            asked.map(String.init)
            ?? (available.contains(OverviewPage.preferredProfile) ? OverviewPage.preferredProfile : available.first ?? "")
        do {
            var query = CoverageQueries.Query(profile: profile)
            query.county = county
            if case .report(let r) = try await console.coverage.answer(viewer.principal, query, logger: context.logger) {
                return r
            }
        } catch let error as APIError where error.status == .conflict || error.status == .notFound {
            return nil
        }
        return nil
    }

    func show(_ request: Request, id: String, context: CollectorRequestContext) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorRole.readers)
        try viewer.requireSchool(id)
        let t = viewer.text
        let registry = try await console.store.registry()
        guard let school = registry.schools.first(where: { $0.id == id }) else { throw ConsoleFailure.notFound }
        let page = try await console.page {
            try await console.devices.page(viewer.principal, .init(schoolID: id), after: nil, limit: 2000)
        }
        let rooms = registry.rooms.filter { $0.schoolID == id }
        var model = SchoolModel(school: school, text: t)
        model.rooms = rooms.map { room in
            let here = page.devices.filter { $0.device.roomID == room.id && $0.device.revokedAt == nil }
            return SchoolModel.Room(
                id: room.id, name: room.name, kind: t.t("room_" + room.kind.rawValue), className: room.className,
                devices: here.map {
                    .init(id: $0.device.id, hostname: $0.device.hostname, shortID: String($0.device.id.prefix(8)))
                },
                lastSeen: console.time(here.compactMap(\.device.lastSeenAt).max()),
                online: here.contains { console.devices.online($0.device) })
        }
        if ConsoleCSV.wanted(request) {
            var table = CSVTable(
                header: ["col_room_id", "col_room", "col_room_kind", "col_class", "col_devices_here", "col_last_seen"].map {
                    t.t($0)
                })
            table.rows = model.rooms.map {
                [$0.id, $0.name, $0.kind, $0.className, $0.devices.map(\.hostname).joined(separator: " "), $0.lastSeen]
            }
            return ConsoleCSV.response(table, filename: "school-\(id)-rooms.csv")
        }
        model.devices = page.devices.map { DevicesModel.Row($0, console: console, text: t) }
        let lessons = registry.lessons.filter { $0.schoolID == id }
        let roomOfDevice = Dictionary(page.devices.compactMap { d in d.device.roomID.map { (d.device.id, $0) } }) { a, _ in a }
        model.heatMap = try await UsageHeatMap.build(
            store: console.store, zone: console.zone, lessons: lessons, roomOfDevice: roomOfDevice, end: console.now(), text: t)
        if let report = try await Self.report(
            console, viewer: viewer, profile: request.uri.queryParameters["profile"], context: context),
            let own = report.schools.first(where: { $0.schoolID == id })
        {
            let l = CoverageLabels(lang: viewer.language == .zhCN ? .zh : .en)
            model.profile = report.profileTitle
            model.indicators = own.indicators.filter { $0.target != nil }.map { i in
                SchoolModel.Indicator(
                    name: l.name(i.key), stage: l.stage(i.stage), value: l.value(of: i), target: l.value(i.target, i.key),
                    met: l.met(i.met), metClass: i.met == true ? "ok" : i.met == false ? "bad" : "")
            }
            model.gaps = own.gaps.map { .init(item: l.item($0.item), stage: l.stage($0.stage), missing: $0.missing) }
            model.ruleTitle = l.t("学校达标规则（至少6项达标，余项不低于85%）", "School rule (≥ 6 of 7 met, the rest ≥ 85 %)")
            model.rules = own.schoolRule.map {
                .init(
                    stage: l.stage($0.stage), status: l.status($0.status),
                    statusClass: $0.status == .meets ? "ok" : $0.status == .fails ? "bad" : "muted", detail: l.ruleDetail($0))
            }
        }
        let week = console.currentWeek
        for w in (0..<Self.historyWeeks).map({ week.adding(weeks: -$0) }) {
            let results = try await console.spotchecks.results(viewer.principal, week: w)
            for r in results.results where r.order.schoolID == id {
                model.spotchecks.append(
                    .init(
                        week: w.description, teacher: r.order.teacherName,
                        watchHref: OperatorPrincipal.lessonWatchers.contains(viewer.role) ? "/lessons/\(r.order.id)" : nil,
                        lesson: "\(t.t("weekday_\(r.order.weekday)")) \(r.order.start)–\(r.order.end) \(r.order.subject)",
                        status: t.t("status_" + r.status.rawValue),
                        statusClass: r.status == .conducted
                            ? "ok" : SpotChecksModel.failures.contains(r.status) ? "bad" : "muted",
                        reason: r.order.excuseReason ?? r.why.map(t.reason) ?? r.reason))
            }
        }
        model.csvHref = "/schools/\(id)?format=csv"
        return try await console.renderer.page(
            request, viewer: viewer, title: school.name, section: .schools, bodyTemplate: "school", values: ["page": model])
    }
}

/// What the school page shows.
struct SchoolModel: Sendable {
    struct DeviceRef: Sendable {
        var id: String
        var hostname: String
        var shortID: String
    }
    struct Room: Sendable {
        var id: String
        var name: String
        var kind: String
        var className: String
        var devices: [DeviceRef]
        var lastSeen: String
        var online: Bool
    }
    struct Indicator: Sendable {
        var name: String
        var stage: String
        var value: String
        var target: String
        var met: String
        var metClass: String
    }
    struct Gap: Sendable {
        var item: String
        var stage: String
        var missing: Int
    }
    /// The national school rule for one stage: its status and what fails or has no data.
    struct Rule: Sendable {
        var stage: String
        var status: String
        var statusClass: String
        var detail: String
    }
    struct SpotCheck: Sendable {
        var week: String
        var teacher: String
        /// The order's watch page, for roles that may watch lessons.
        var watchHref: String?
        var lesson: String
        var status: String
        var statusClass: String
        var reason: String
    }

    var id: String
    var name: String
    var township: String
    var facts: String
    var rooms: [Room] = []
    var devices: [DevicesModel.Row] = []
    var heatMap: UsageHeatMap?
    var profile = ""
    var indicators: [Indicator] = []
    var gaps: [Gap] = []
    var ruleTitle = ""
    var rules: [Rule] = []
    var spotchecks: [SpotCheck] = []
    var csvHref = ""

    init(school: School, text t: ConsoleText) {
        id = school.id
        name = school.name
        township = school.township
        facts = t.t("school_facts", String(school.totalClasses), String(school.totalStudents))
    }
}
