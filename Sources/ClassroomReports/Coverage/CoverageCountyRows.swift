import ClassroomCore

/// The county rows of a prefecture report (``CoverageReport/counties``) as plain rows, shared by the
/// terminal table and the printable page: per county and targeted indicator its value, result, CV
/// (between the county's own schools) and CV target.
public struct CoverageCountyRows: Sendable {
    public var report: CoverageReport
    public var labels: CoverageLabels

    public init(report: CoverageReport, labels: CoverageLabels) {
        self.report = report
        self.labels = labels
    }

    /// The header of the county table.
    public var header: [String] {
        let l = labels
        return [
            l.t("县（市、区）", "County"), l.t("学校", "Schools"), l.t("指标", "Indicator"), l.t("学段", "Stage"), l.t("数值", "Value"),
            l.t("目标", "Target"), l.t("结果", "Result"), l.t("差异系数", "CV"), l.t("差异系数目标", "CV target"),
            l.t("缺口合计", "Missing"),
        ]
    }

    /// One row per county and indicator with a target; `met` is the indicator's result for colouring.
    public var rows: [(cells: [String], met: Bool?)] {
        let l = labels
        var out: [(cells: [String], met: Bool?)] = []
        for county in report.counties ?? [] {
            let missing = county.gaps.reduce(0) { $0 + $1.missing }
            let name = county.name + (county.profile.map { " [\($0)]" } ?? "")
            for i in county.indicators where i.target != nil {
                out.append(
                    (
                        [
                            name, String(county.schools), l.name(i.key), l.stage(i.stage), l.value(of: i),
                            i.target.map { l.value($0, i.key) } ?? "—", l.met(i.met), l.cv(i.cv),
                            i.cvTarget.map { l.cv($0) } ?? "—",
                            String(missing),
                        ], i.met
                    ))
            }
        }
        return out
    }

    /// The heading of the report's area: the county, or the prefecture total's name ("全市" when the
    /// prefecture profile names none).
    public var areaName: String {
        guard report.counties != nil else { return report.county.name }
        return report.county.name.isEmpty ? labels.t("全市", "Prefecture") : report.county.name
    }

    /// Why the prefecture total carries no CV.
    public var note: String {
        labels.t(
            "差异系数是县域内校际指标，按县分别计算；全市合计不计算差异系数。括号内为该县采用的目标方案。",
            "The CV is a between-school figure inside one county, computed per county; the prefecture total has none. A profile in brackets is the county's own."
        )
    }
}
