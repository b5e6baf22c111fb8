import ClassroomCore
import ClassroomReports
import Hummingbird

/// `/`: the county's indicators against the selected target profile, devices online and offline,
/// this week's spot-check progress, and alerts.
struct OverviewPage: Sendable {
    let console: ConsoleEnvironment

    /// A device offline for longer than this is an alert.
    static let offlineAlertMillis: Int64 = 3 * 86_400_000
    static let preferredProfile = "luxi-2025"

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("/") { request, context in try await show(request, context: context) }
    }

    func show(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorRole.readers)
        let text = viewer.text
        let labels = CoverageLabels(lang: viewer.language == .zhCN ? .zh : .en)
        var model = OverviewModel()
        let available = ProfileDirectory(configured: console.configuration.profilesDirectory).available
        let asked = request.uri.queryParameters["profile"].map(String.init)
        let profile =
            asked
            ?? (available.contains(Self.preferredProfile) ? Self.preferredProfile : available.first ?? Self.preferredProfile)
        model.profiles = available.map { .init(name: $0, selected: $0 == profile) }
        do {
            let answer = try await console.coverage.answer(
                viewer.principal, CoverageQueries.Query(profile: profile), logger: context.logger)
            if case .report(let report) = answer { model.coverage(report, labels: labels) }
        } catch let error as APIError where error.status == .conflict || error.status == .notFound {
            model.coverageNote = error.status == .conflict ? text.t("overview_no_registry") : error.body.message
        }
        try await devices(&model, viewer: viewer)
        try await spotChecks(&model, viewer: viewer)
        let open = try await AlertQueries(store: console.store).list(viewer.principal, state: .open, school: nil)
        model.openAlertsLabel = text.t("alerts_open_count", String(open.count))
        return try await console.renderer.page(
            request, viewer: viewer, title: text.t("nav_overview"), section: .overview, bodyTemplate: "overview",
            values: ["page": model])
    }

    func devices(_ model: inout OverviewModel, viewer: ConsoleViewer) async throws {
        let queries = console.devices
        let all = try await queries.page(viewer.principal, .init(), after: nil, limit: 0)
        var offline = DeviceQueries.Filter()
        offline.offline = true
        let down = try await queries.page(viewer.principal, offline, after: nil, limit: 0)
        model.devicesTotal = all.total
        model.devicesOffline = down.total
        model.devicesOnline = all.total - down.total
        let long = try await queries.longOffline(viewer.principal, since: console.now() - Self.offlineAlertMillis, limit: 10)
        model.offlineLongTotal = long.total
        model.offlineLong = long.devices.map {
            .init(
                id: $0.device.id, hostname: $0.device.hostname, school: $0.device.schoolID,
                lastSeen: console.time($0.device.lastSeenAt))
        }
    }

    func spotChecks(_ model: inout OverviewModel, viewer: ConsoleViewer) async throws {
        let text = viewer.text
        let week = console.currentWeek
        let view = try await console.spotchecks.week(viewer.principal, week: week)
        let results = try await console.spotchecks.results(viewer.principal, week: week)
        let registry = try await console.store.registry()
        let schools = Dictionary(registry.schools.map { ($0.id, $0.name) }) { a, _ in a }
        let recording = Set(registry.rooms.filter { $0.kind == .recording }.map(\.id))
        model.week = week.description
        model.drawn = view.drawn
        model.commitment = view.commitment
        model.hidden = results.hidden
        model.called = results.results.count
        for row in results.results {
            switch row.status {
            case .conducted, .excused: model.conducted += row.status == .conducted ? 1 : 0
            case .pending: model.pending += 1
            case .partial, .notConducted, .deviceOffline, .deviceFault:
                model.failed += 1
                let failure = OverviewModel.Failure(
                    school: schools[row.order.schoolID] ?? row.order.schoolID, teacher: row.order.teacherName,
                    lesson: "\(row.order.start)–\(row.order.end) \(row.order.subject)",
                    status: text.t("status_" + row.status.rawValue),
                    reason: row.reason)
                model.failures.append(failure)
                if recording.contains(row.order.roomID) { model.failedRecordingRooms.append(failure) }
            }
        }
    }
}
