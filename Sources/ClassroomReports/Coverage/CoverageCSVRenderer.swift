import ClassroomCore

/// The coverage report as CSV (``CSVTable``: UTF-8 with a byte-order mark, so Excel in a Chinese
/// locale opens it correctly), Chinese headers by default, one row per school, stage and indicator,
/// the county first (a prefecture's total, then each county), each county followed by its townships.
public struct CoverageCSVRenderer: Sendable {
    public var report: CoverageReport
    public var lang: ReportLanguage

    public init(report: CoverageReport, lang: ReportLanguage) {
        self.report = report
        self.lang = lang
    }

    public var header: [String] {
        let l = CoverageLabels(lang: lang)
        return [
            l.t("学校代码", "school_id"), l.t("学校名称", "school"), l.t("乡镇", "township"), l.t("学段", "stage"),
            l.t("指标", "indicator"), l.t("指标代码", "indicator_key"), l.t("数值", "value"), l.t("目标", "target"),
            l.t("是否达标", "met"), l.t("分子", "numerator"), l.t("分母", "denominator"), l.t("是否参评", "assessed"),
            l.t("差异系数", "cv"), l.t("差异系数目标", "cv_target"), l.t("申报值", "declared_value"),
            l.t("缺口", "missing"), l.t("需增配", "to_procure"),
        ]
    }

    public func render() -> [UInt8] {
        let l = CoverageLabels(lang: lang)
        var table = CSVTable(header: header)
        func row(_ id: String, _ name: String, _ township: String, _ i: IndicatorValue, gap: (item: String, missing: Int)?) {
            table.rows.append([
                id, name, township, l.stage(i.stage), l.name(i.key), i.key.rawValue, Self.number(i.value),
                Self.number(i.target), i.met.map { l.t($0 ? "是" : "否", $0 ? "yes" : "no") } ?? "",
                Self.number(i.numerator), Self.number(i.denominator), l.t(i.assessed ? "是" : "否", i.assessed ? "yes" : "no"),
                Self.number(i.cv), Self.number(i.cvTarget), Self.number(i.declaredValue),
                gap.map { String($0.missing) } ?? "", gap.map { l.item($0.item) } ?? "",
            ])
        }
        // A county's townships after it: level 乡镇, the county's name, the township (no CV).
        let townshipRows = CoverageTownshipRows(report: report, labels: l)
        func townships(of county: CountyCoverage) {
            for township in county.townships ?? [] {
                for i in township.indicators {
                    row(
                        l.t("乡镇", "township"), county.name, township.name, i,
                        gap: townshipRows.gap(county: county.name, township: township.name, key: i.key, stage: i.stage))
                }
            }
        }
        if let counties = report.counties {
            // A prefecture: its total first (no CV: the balance is inside one county), then each county.
            for i in report.county.indicators {
                row(l.t("全市", "prefecture"), report.county.name, "", i, gap: nil)
            }
            for county in counties {
                for i in county.indicators { row(l.t("县", "county"), county.name, "", i, gap: nil) }
                townships(of: county)
            }
        } else {
            for i in report.county.indicators {
                row(l.t("全县", "county"), report.county.name, "", i, gap: nil)
            }
            townships(of: report.county)
        }
        for school in report.schools {
            for i in school.indicators {
                row(
                    school.schoolID, school.name, school.township, i,
                    gap: school.gaps.first { $0.key == i.key && $0.stage == i.stage }.map { ($0.item, $0.missing) })
            }
        }
        return table.bytes()
    }

    public static func number(_ v: Double?) -> String { CSVTable.number(v) }

    /// Quotes a field when it holds a comma, a quote or a line break (RFC 4180).
    public static func field(_ s: String) -> String { CSVTable.field(s) }
}
