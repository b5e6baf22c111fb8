import ClassroomCore

/// The township rows (乡镇) of a report (``CountyCoverage/townships`` of each county, or of the
/// one county) as plain rows, shared by the terminal table and the printable page: per township and
/// targeted indicator its schools, students, value, result and what its schools lack for that
/// indicator and stage; no CV (a between-school figure of a whole county).
public struct CoverageTownshipRows: Sendable {
    public let report: CoverageReport
    public var labels: CoverageLabels
    /// Each township's gaps per indicator and stage, summed once (``gap(county:township:key:stage:)``
    /// is asked for every township row: filtering the schools each time made a province's table, 20,000
    /// schools, take seconds).
    private let gaps: [GapKey: (item: String, missing: Int)]

    private struct GapKey: Hashable {
        var county: String
        var township: String
        var key: CoverageIndicatorKey
        var stage: IndicatorStage
    }

    public init(report: CoverageReport, labels: CoverageLabels) {
        self.report = report
        self.labels = labels
        var gaps: [GapKey: (item: String, missing: Int)] = [:]
        for school in report.schools {
            for g in school.gaps {
                // The item of the first school's gap, in the report's order of schools.
                gaps[GapKey(county: school.county, township: school.township, key: g.key, stage: g.stage), default: (g.item, 0)]
                    .missing += g.missing
            }
        }
        self.gaps = gaps
    }

    /// The counties whose township rows are shown: each county of a prefecture, else the one county.
    var counties: [CountyCoverage] { report.counties ?? [report.county] }

    /// How many township rows the report has.
    public var count: Int { counties.reduce(0) { $0 + ($1.townships?.count ?? 0) } }

    /// The header of the township table.
    public var header: [String] {
        let l = labels
        return [
            l.t("县（市、区）", "County"), l.t("乡镇", "Township"), l.t("学校", "Schools"), l.t("学生", "Students"),
            l.t("指标", "Indicator"), l.t("学段", "Stage"), l.t("数值", "Value"), l.t("目标", "Target"), l.t("结果", "Result"),
            l.t("缺口", "Missing"), l.t("需增配", "To procure"),
        ]
    }

    /// What the township's schools lack for one indicator and stage: their gaps summed (the county's
    /// ``GapTotal`` per township lumps every item together, which is no figure to act on); nil when
    /// none of its schools has a gap there.
    public func gap(
        county: String, township: String, key: CoverageIndicatorKey, stage: IndicatorStage
    ) -> (item: String, missing: Int)? {
        gaps[GapKey(county: county, township: township, key: key, stage: stage)]
    }

    /// One row per county, township and indicator with a target; `met` is the indicator's result.
    public var rows: [(cells: [String], met: Bool?)] {
        let l = labels
        var out: [(cells: [String], met: Bool?)] = []
        for county in counties {
            for township in county.townships ?? [] {
                for i in township.indicators where i.target != nil {
                    let gap = gap(county: county.name, township: township.name, key: i.key, stage: i.stage)
                    out.append(
                        (
                            [
                                county.name, township.name, String(township.schools), township.students.map(String.init) ?? "—",
                                l.name(i.key), l.stage(i.stage), l.value(of: i), i.target.map { l.value($0, i.key) } ?? "—",
                                l.met(i.met), gap.map { String($0.missing) } ?? "—", gap.map { l.item($0.item) } ?? "",
                            ], i.met
                        ))
                }
            }
        }
        return out
    }

    /// Why the township rows carry no CV.
    public var note: String {
        labels.t(
            "乡镇行为该乡镇学校的合计（Σ分子 ÷ Σ分母），不计算差异系数：差异系数是县域内校际指标。",
            "A township row sums its schools (Σ numerators ÷ Σ denominators) and has no CV: the CV is a between-school figure of a county."
        )
    }
}
