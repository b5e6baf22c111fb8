import ClassroomCore
import ClassroomReports
import Hummingbird

/// `/observation?week=W[&term_start=D]`: each principal's and vice-principal's lessons observed this
/// week against the plan's quota, and the term's share of schools observed by the county
/// (``ObservationQueries``, the function of `/api/v1/observation`); `?format=csv` for Excel. A
/// school admin sees its own school's principals.
struct ObservationPage: Sendable {
    let console: ConsoleEnvironment

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("observation") { request, _ in
            let viewer = try await console.auth.requireViewer(request, roles: ConsoleSection.observation.roles)
            let (week, term) = try await console.page {
                try ObservationAPI<CollectorRequestContext>.period(
                    request, zone: console.configuration.spotcheck.zone, now: console.now())
            }
            let queries = ObservationQueries(
                store: console.store, quotas: console.configuration.observation.quotas,
                zone: console.configuration.spotcheck.zone, now: console.now)
            let county = try await console.page { try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"]) }
            let report = try await console.page {
                try await queries.report(viewer.principal, week: week, termStart: term, county: county)
            }
            let countyParameter =
                county.map { "&county=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
            let zh = viewer.language == .zhCN
            if ConsoleCSV.wanted(request) {
                return ConsoleCSV.response(
                    ObservationQuotaCSV.table(report, language: zh ? .zh : .en), filename: "observation-\(week).csv")
            }
            let t = viewer.text
            let c = report.coverage
            let values: [String: Any] = [
                "week": report.week, "weekStart": report.weekStart, "weekEnd": report.weekEnd,
                "termStart": report.termStart, "termEnd": report.termEnd, "source": report.quotas.source,
                "rule": t.t("quota_rule", String(report.quotas.lessonMinutes)),
                "previousHref": "/observation?week=\(week.previous)" + countyParameter,
                "nextHref": "/observation?week=\(week.next)" + countyParameter,
                "csvHref": "/observation?week=\(week)&format=csv" + (term.map { "&term_start=\($0)" } ?? "") + countyParameter,
                "principals": report.principals.map { p in
                    [
                        "school": p.schoolName, "name": p.name, "position": zh ? p.position.zh : p.position.en,
                        "users": p.users.isEmpty ? t.t("quota_no_user") : p.users.joined(separator: ", "),
                        "observed": p.observed, "quota": p.quota, "met": p.met, "teacher": p.teacherID,
                    ] as [String: Any]
                },
                "coverage": [
                    "observed": c.observed.count, "schools": c.schools, "share": Self.percent(c.share),
                    "target": Self.percent(c.target), "met": c.met,
                ] as [String: Any],
            ]
            return try await console.renderer.page(
                request, viewer: viewer, title: t.t("nav_observation"), section: .observation, bodyTemplate: "observation",
                values: ["page": values])
        }
    }

    static func percent(_ v: Double) -> String { "\(Int((v * 1000).rounded()) / 10)%" }
}
