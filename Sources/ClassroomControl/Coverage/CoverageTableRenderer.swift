import ClassroomCore
import ClassroomReports

/// The coverage report as a plain-text table for the terminal.
struct CoverageTableRenderer {
    var report: CoverageReport
    var lang: ReportLanguage

    var verified: Bool { report.basis == .verified }

    func render() -> String {
        let l = CoverageLabels(lang: lang)
        let counties = CoverageCountyRows(report: report, labels: l)
        var lines: [String] = []
        lines.append("\(report.profileTitle) — \(counties.areaName)")
        lines.append(l.t("依据", "Plan") + ": \(report.plan)")
        lines.append(
            l.t("口径", "Basis") + ": \(l.basis(report.basis))  " + l.t("日期", "Date") + ": \(report.at)  "
                + l.t("学校", "Schools") + ": \(report.county.schools) ("
                + l.t("教学点", "teaching points") + " \(report.county.teachingPoints))")
        lines.append("")
        var rows = [
            [
                l.t("指标", "Indicator"), l.t("学段", "Stage"), l.t("数值", "Value"), l.t("目标", "Target"), l.t("结果", "Result"),
                l.t("差异系数", "CV"), l.t("差异系数目标", "CV target"),
            ] + (verified ? [l.t("学校申报值", "Declared")] : [])
        ]
        for i in report.county.indicators where i.target != nil || i.value != nil {
            rows.append(
                [
                    l.name(i.key), l.stage(i.stage), l.value(of: i), i.target.map { l.value($0, i.key) } ?? "—", l.met(i.met),
                    l.cv(i.cv), i.cvTarget.map { l.cv($0) } ?? "—",
                ] + (verified ? [l.declared(i)] : []))
        }
        lines += Self.table(rows)
        if let basis = report.recordingBasis {
            lines.append("")
            lines.append(l.recordingBasisTitle + ": " + l.recordingBasis(basis))
        }
        if let list = report.counties {
            lines.append("")
            lines.append(l.t("各县（\(list.count) 个）", "Counties (\(list.count))") + ":")
            lines += Self.table([counties.header] + counties.rows.map(\.cells))
            lines.append("  " + counties.note)
        }
        let townships = CoverageTownshipRows(report: report, labels: l)
        if townships.count > 0 {
            lines.append("")
            lines.append(l.t("各乡镇（\(townships.count) 个）", "Townships (\(townships.count))") + ":")
            lines += Self.table([townships.header] + townships.rows.map(\.cells))
            lines.append("  " + townships.note)
        }
        lines.append("")
        lines.append(l.t("缺口（需增配）", "Gaps (to procure)") + ":")
        if report.county.gaps.isEmpty { lines.append("  " + l.t("无", "none")) }
        for g in report.county.gaps {
            lines.append("  \(l.item(g.item)): \(g.missing) (" + l.t("涉及 \(g.schools) 所学校", "\(g.schools) schools") + ")")
        }
        if !report.county.schoolRule.isEmpty {
            lines.append("")
            lines.append(l.t("学校达标规则（≥6 项达标、余项 ≥85%）", "School rule (≥ 6 of 7 met, the rest ≥ 85 %)") + ":")
            for r in report.county.schoolRule {
                lines.append(
                    "  \(l.stage(r.stage)): " + l.t("达标", "meets") + " \(r.meets), " + l.t("不达标", "fails") + " \(r.fails), "
                        + l.t("待定", "undetermined") + " \(r.undetermined)")
            }
            // Which data the undetermined schools still owe (the first ones; the JSON has them all).
            let open = report.schools.flatMap { s in s.schoolRule.filter { $0.status == .undetermined }.map { (s, $0) } }
            if !open.isEmpty {
                lines.append(l.t("待定学校（缺少的数据）", "Undetermined schools (data missing)") + ":")
                for (s, r) in open.prefix(Self.undeterminedShown) {
                    lines.append("  \(s.schoolID) \(s.name) \(l.stage(r.stage)): \(l.ruleDetail(r))")
                }
                if open.count > Self.undeterminedShown {
                    lines.append(
                        "  "
                            + l.t(
                                "另有 \(open.count - Self.undeterminedShown) 个", "and \(open.count - Self.undeterminedShown) more"))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let undeterminedShown = 20

    /// Columns padded by display width (a CJK character takes two cells).
    static func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { width($0[c]) }.max() ?? 0 }
        return rows.map { row in
            "  "
                + row.enumerated().map { c, cell in cell + String(repeating: " ", count: widths[c] - width(cell)) }
                .joined(separator: "  ")
        }
    }

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) {
            $0
                + ($1.value >= 0x1100 && $1.properties.isIdeographic || (0xFF00...0xFF60).contains($1.value)
                    || (0x3000...0x303F).contains($1.value) ? 2 : 1)
        }
    }
}
