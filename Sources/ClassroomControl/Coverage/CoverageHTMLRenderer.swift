import ClassroomCore
import ClassroomReports
import Foundation

/// The coverage report as one printable HTML page (zh-CN by default): summary, a chart per target
/// (schools ranked against the target line), the procurement list and each school's gaps.
///
/// - Important: no external assets (no scripts, fonts, images or stylesheets), so the file can be
///   mailed, archived and printed as it is.
struct CoverageHTMLRenderer {
    var report: CoverageReport
    var lang: ReportLanguage

    func render() -> String {
        let l = CoverageLabels(lang: lang)
        let area = CoverageCountyRows(report: report, labels: l).areaName
        var h = """
            <!DOCTYPE html>
            <html lang="\(lang == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(esc(report.profileTitle)) — \(esc(area))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <h1>\(esc(area)) \(l.t("教育信息化覆盖情况报告", "coverage report"))</h1>
            <p class="meta">\(l.t("目标", "Targets")): \(esc(report.profileTitle)) · \(l.t("依据", "Plan")): \(esc(report.plan))<br>
            \(l.t("口径", "Basis")): \(esc(l.basis(report.basis))) · \(l.t("日期", "Date")): \(esc(report.at)) · \
            \(l.t("学校", "Schools")): \(report.county.schools)（\(l.t("其中教学点", "teaching points")) \(report.county.teachingPoints)）</p>

            """
        h +=
            "<h2>\(report.counties == nil ? l.t("一、全县指标", "1. County indicators") : l.t("一、全市合计与各县指标", "1. Prefecture total and counties"))</h2>\n<table class=\"summary\"><tr>"
        for c in [
            l.t("指标", "Indicator"), l.t("学段", "Stage"), l.t("数值", "Value"), l.t("目标", "Target"), l.t("结果", "Result"),
            l.t("差异系数", "CV"), l.t("差异系数目标", "CV target"),
        ] + (verified ? [l.t("学校申报值", "Declared")] : []) { h += "<th>\(c)</th>" }
        h += "</tr>\n"
        for i in report.county.indicators where i.target != nil || i.value != nil {
            let cls = i.met == true ? "ok" : i.met == false ? "bad" : ""
            h += "<tr><td>\(esc(l.name(i.key)))</td><td>\(l.stage(i.stage))</td><td class=\"num\">\(l.value(of: i))</td>"
            h += "<td class=\"num\">\(i.target.map { l.value($0, i.key) } ?? "—")</td><td class=\"\(cls)\">\(l.met(i.met))</td>"
            h += "<td class=\"num\">\(l.cv(i.cv))</td><td class=\"num\">\(i.cvTarget.map { l.cv($0) } ?? "—")</td>"
            if verified { h += "<td class=\"num\">\(esc(l.declared(i)))</td>" }
            h += "</tr>\n"
        }
        h += "</table>\n"
        if let basis = report.recordingBasis {
            h += "<p class=\"note\"><b>\(esc(l.recordingBasisTitle))</b>\(l.t("：", ": "))\(esc(l.recordingBasis(basis)))</p>\n"
        }
        h += countyRows(l)
        h += townshipRows(l)
        h += "<h2>\(l.t("二、各校排名与目标线", "2. Schools ranked against the target"))</h2>\n"
        for i in report.targetedCountyIndicators {
            h += CoverageChart(report: report, indicator: i, labels: l).svgFigure()
        }
        h += "<h2>\(l.t("三、需增配清单（全县）", "3. Procurement list (county)"))</h2>\n"
        if report.county.gaps.isEmpty {
            h += "<p>\(l.t("无缺口。", "No gaps."))</p>\n"
        } else {
            h +=
                "<table><tr><th>\(l.t("项目", "Item"))</th><th>\(l.t("缺口", "Missing"))</th><th>\(l.t("涉及学校", "Schools"))</th></tr>\n"
            for g in report.county.gaps {
                h +=
                    "<tr><td>\(esc(l.item(g.item)))</td><td class=\"num\">\(g.missing)</td><td class=\"num\">\(g.schools)</td></tr>\n"
            }
            h += "</table>\n"
        }
        if !report.county.schoolRule.isEmpty {
            h += "<h2>\(l.t("四、学校达标规则（至少6项达标，余项不低于85%）", "4. School rule (≥ 6 of 7 met, the rest ≥ 85 %)"))</h2>\n"
            h +=
                "<p class=\"note\">\(l.t("“每百名学生拥有网络多媒体教室数”由本系统测量，其余6项来自学校在 schools.csv 中的申报；缺少申报数据的学校为待定。", "The multimedia-classroom indicator is measured here; the other six are declared by schools in schools.csv. A school without a declared figure is undetermined."))</p>\n"
            h +=
                "<table><tr><th>\(l.t("学段", "Stage"))</th><th>\(l.status(.meets))</th><th>\(l.t("不达标", "fails"))</th><th>\(l.t("待定", "undetermined"))</th></tr>\n"
            for r in report.county.schoolRule {
                h +=
                    "<tr><td>\(l.stage(r.stage))</td><td class=\"num\">\(r.meets)</td><td class=\"num\">\(r.fails)</td><td class=\"num\">\(r.undetermined)</td></tr>\n"
            }
            h += "</table>\n"
            h += schoolRules(l)
        }
        h += schoolGaps(l)
        h += "<h2>\(l.t("目标来源", "Sources of the targets"))</h2>\n<ul class=\"note\">\n"
        for s in report.sources { h += "<li>\(esc(s))</li>\n" }
        h += "</ul>\n</body>\n</html>\n"
        return h
    }

    var verified: Bool { report.basis == .verified }

    /// A prefecture report's county rows (empty for one county).
    func countyRows(_ l: CoverageLabels) -> String {
        guard let list = report.counties else { return "" }
        let c = CoverageCountyRows(report: report, labels: l)
        var h = "<h3>\(l.t("各县（市、区）指标（\(list.count) 个）", "Indicators per county (\(list.count))"))</h3>\n"
        h += "<table class=\"counties\"><tr>" + c.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
        for row in c.rows {
            let cls = row.met == true ? "ok" : row.met == false ? "bad" : ""
            h += "<tr>"
            for (n, cell) in row.cells.enumerated() {
                let klass = n == 6 ? cls : (n == 1 || n == 4 || n == 5 || n >= 7 ? "num" : "")
                h += "<td class=\"\(klass)\">\(esc(cell))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</table>\n<p class=\"note\">\(esc(c.note))</p>\n"
    }

    /// The township rows (乡镇) of each county (empty when the report has none).
    func townshipRows(_ l: CoverageLabels) -> String {
        let c = CoverageTownshipRows(report: report, labels: l)
        guard c.count > 0 else { return "" }
        var h = "<h3>\(l.t("各乡镇指标（\(c.count) 个）", "Indicators per township (\(c.count))"))</h3>\n"
        h += "<table class=\"counties\"><tr>" + c.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
        for row in c.rows {
            let cls = row.met == true ? "ok" : row.met == false ? "bad" : ""
            h += "<tr>"
            for (n, cell) in row.cells.enumerated() {
                let klass = n == 8 ? cls : (n == 2 || n == 3 || n == 6 || n == 7 || n == 9 ? "num" : "")
                h += "<td class=\"\(klass)\">\(esc(cell))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</table>\n<p class=\"note\">\(esc(c.note))</p>\n"
    }

    /// The schools that do not (yet) meet the rule, with what fails or is missing.
    func schoolRules(_ l: CoverageLabels) -> String {
        let rows = report.schools.flatMap { s in s.schoolRule.filter { $0.status != .meets }.map { (s, $0) } }
        guard !rows.isEmpty else { return "" }
        var h = "<table><tr><th>\(l.t("学校代码", "School ID"))</th><th>\(l.t("学校", "School"))</th>"
        h += "<th>\(l.t("学段", "Stage"))</th><th>\(l.t("结果", "Result"))</th><th>\(l.t("说明", "Detail"))</th></tr>\n"
        for (s, r) in rows {
            h += "<tr><td>\(esc(s.schoolID))</td><td>\(esc(s.name))</td><td>\(l.stage(r.stage))</td>"
            h +=
                "<td class=\"\(r.status == .fails ? "bad" : "")\">\(esc(l.status(r.status)))</td><td>\(esc(l.ruleDetail(r)))</td></tr>\n"
        }
        return h + "</table>\n"
    }

    func schoolGaps(_ l: CoverageLabels) -> String {
        let withGaps = report.schools.filter { !$0.gaps.isEmpty }
        var h = "<h2>\(l.t("五、各校缺口", "5. Gaps per school"))（\(withGaps.count)）</h2>\n"
        guard !withGaps.isEmpty else { return h + "<p>\(l.t("各校均已达标。", "Every school reaches every target."))</p>\n" }
        h += "<table><tr><th>\(l.t("学校代码", "School ID"))</th><th>\(l.t("学校", "School"))</th><th>\(l.t("乡镇", "Township"))</th>"
        h +=
            "<th>\(l.t("学段", "Stage"))</th><th>\(l.t("项目", "Item"))</th><th>\(l.t("现有", "Have"))</th><th>\(l.t("应有", "Needed"))</th><th>\(l.t("缺口", "Missing"))</th></tr>\n"
        for s in withGaps {
            for g in s.gaps {
                h +=
                    "<tr><td>\(esc(s.schoolID))</td><td>\(esc(s.name))</td><td>\(esc(s.township))</td><td>\(l.stage(g.stage))</td>"
                h +=
                    "<td>\(esc(l.item(g.item)))</td><td class=\"num\">\(g.have)</td><td class=\"num\">\(g.needed)</td><td class=\"num bad\">\(g.missing)</td></tr>\n"
            }
        }
        return h + "</table>\n"
    }

    static let style = """
        body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;font-size:13px}\
        h1{font-size:22px;margin:0 0 6px}h2{font-size:16px;margin:22px 0 8px;border-bottom:1px solid #999}\
        .meta{color:#444}.note{color:#555;font-size:12px}table{border-collapse:collapse;margin:6px 0}\
        th,td{border:1px solid #bbb;padding:3px 8px}th{background:#eef}.num{text-align:right}\
        .ok{color:#1a7f37;font-weight:bold}.bad{color:#c0392b;font-weight:bold}figure{margin:10px 0;page-break-inside:avoid}\
        figcaption{font-size:13px;margin-bottom:2px}@page{size:A4;margin:15mm}@media print{body{margin:0}}
        """
}

/// Escapes text for HTML and SVG (the shared escaping of ``ClassroomReports``).
func esc(_ s: String) -> String { HTMLEscape.escape(s) }
