import ClassroomCore
import ClassroomReports

/// What the overview shows, built from the answers of the shared queries (no I/O here).
struct OverviewModel: Sendable {
    struct Option: Sendable {
        var name: String
        var selected: Bool
    }
    struct IndicatorRow: Sendable {
        var name: String
        var stage: String
        var value: String
        var declared: String
        var target: String
        var met: String
        var metClass: String
    }
    struct Failure: Sendable {
        var school: String
        var teacher: String
        var lesson: String
        var status: String
        var reason: String
    }
    struct OfflineDevice: Sendable {
        var id: String
        var hostname: String
        var school: String
        var lastSeen: String
    }
    struct SchoolBehind: Sendable {
        var id: String
        var name: String
        var missing: Int
        var notMet: String
    }

    var profiles: [Option] = []
    /// "Open device alerts: N", linking to `/alerts`.
    var openAlertsLabel = ""
    var profileTitle = ""
    var basis = ""
    var at = ""
    /// Why there is no coverage (no registry yet), shown instead of the chart.
    var coverageNote: String?
    /// The summary chart, HTML made by ``CoverageSummaryChart`` (escaped there).
    var chartSVG = ""
    var indicators: [IndicatorRow] = []
    var notMeasured: [String] = []
    var scopeNote: String?

    var devicesTotal = 0
    var devicesOnline = 0
    var devicesOffline = 0

    var week = ""
    var drawn = false
    var commitment: String?
    var called = 0
    var conducted = 0
    var pending = 0
    var failed = 0
    var hidden: Int?
    var failures: [Failure] = []

    var offlineLong: [OfflineDevice] = []
    var offlineLongTotal = 0
    var failedRecordingRooms: [Failure] = []
    var schoolsBehind: [SchoolBehind] = []
    var schoolsBehindTotal = 0
    var schoolsBehindMore = false

    /// The indicator rows and the chart of `report`: the county's, or the school's own row for a
    /// school admin (whose report carries no county figures).
    mutating func coverage(_ report: CoverageReport, labels l: CoverageLabels) {
        profileTitle = report.profileTitle
        basis = l.basis(report.basis)
        at = report.at
        var shown = report.county.indicators
        if report.scope != nil, let own = report.schools.first {
            shown = own.indicators
            scopeNote = own.name
        }
        shown = shown.filter { $0.target != nil }
        chartSVG = CoverageSummaryChart(indicators: shown, basis: report.basis, labels: l).svg()
        indicators = shown.map { i in
            IndicatorRow(
                name: l.name(i.key), stage: l.stage(i.stage), value: l.value(of: i), declared: l.declared(i),
                target: i.target.map { l.value($0, i.key) } ?? "—", met: l.met(i.met),
                metClass: i.met == true ? "ok" : i.met == false ? "bad" : "")
        }
        notMeasured = (report.notMeasured ?? []).map { "\(l.name($0.key)): \($0.reason)" }
        let behind = report.schools.filter { s in s.indicators.contains { $0.met == false } }
            .map { s in
                SchoolBehind(
                    id: s.schoolID, name: s.name, missing: s.gaps.reduce(0) { $0 + $1.missing },
                    notMet: s.indicators.filter { $0.met == false }.map {
                        l.t("\(l.name($0.key))（\(l.stage($0.stage))）", "\(l.name($0.key)) (\(l.stage($0.stage)))")
                    }
                    .joined(separator: l.t("、", "; ")))
            }
            .sorted { ($0.missing, $1.id) > ($1.missing, $0.id) }
        schoolsBehindTotal = behind.count
        schoolsBehind = Array(behind.prefix(10))
        schoolsBehindMore = behind.count > schoolsBehind.count
    }
}
