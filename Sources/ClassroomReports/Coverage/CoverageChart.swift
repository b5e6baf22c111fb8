import ClassroomCore
import Foundation

/// An inline SVG bar chart: the assessed schools ranked by one indicator, with the target line and
/// the county value. Large counties are sampled to at most ``maxBars`` evenly spaced ranks.
public struct CoverageChart: Sendable {
    public var report: CoverageReport
    public var indicator: IndicatorValue
    public var labels: CoverageLabels

    public init(report: CoverageReport, indicator: IndicatorValue, labels: CoverageLabels) {
        self.report = report
        self.indicator = indicator
        self.labels = labels
    }

    static let maxBars = 200
    static let width = 720.0
    static let height = 200.0
    static let left = 48.0
    static let bottom = 20.0

    /// The chart with its caption, as a `<figure>` holding an inline `<svg>`.
    public func svgFigure() -> String {
        let l = labels
        var ranked: [(name: String, value: Double)] = []
        for s in report.schools {
            for i in s.indicators where i.key == indicator.key && i.stage == indicator.stage && i.assessed {
                if let v = i.value { ranked.append((s.name, v)) }
            }
        }
        ranked.sort { $0.value > $1.value }
        let values = ranked.map(\.value)
        let caption =
            "\(esc(l.name(indicator.key))) · \(l.stage(indicator.stage)) — \(l.t("全县", "county")) \(l.value(indicator.value, indicator.key))，"
            + "\(l.t("目标", "target")) \(indicator.target.map { l.value($0, indicator.key) } ?? "—")"
            + (indicator.cv.map { "，\(l.t("差异系数", "CV")) \(l.cv($0))" } ?? "")
            + "（\(values.count) \(l.t("所学校", "schools"))\(values.count > Self.maxBars ? l.t("，按名次抽样", ", sampled by rank") : "")）"
        guard !values.isEmpty else {
            return
                "<figure><figcaption>\(caption)</figcaption><p class=\"note\">\(l.t("无可计算的学校。", "No school with a value."))</p></figure>\n"
        }
        let bars =
            values.count > Self.maxBars
            ? (0..<Self.maxBars).map { ranked[$0 * (values.count - 1) / (Self.maxBars - 1)] } : ranked
        let target = indicator.target ?? 0
        var top = max(target, bars.first?.value ?? 0, indicator.value ?? 0) * 1.1
        if indicator.key.isShare { top = max(top, 1.0) }
        if top <= 0 { top = 1 }
        let plotW = Self.width - Self.left - 8
        let plotH = Self.height - Self.bottom - 10
        func y(_ v: Double) -> Double { 10 + plotH * (1 - v / top) }
        let barW = plotW / Double(bars.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" "
        svg +=
            "viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-label=\"\(esc(l.name(indicator.key)))\">\n"
        for tick in [0.0, top / 2, top] {
            svg +=
                "<line x1=\"\(f(Self.left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(Self.width - 8))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>"
            svg +=
                "<text x=\"\(f(Self.left - 4))\" y=\"\(f(y(tick) + 4))\" font-size=\"10\" text-anchor=\"end\">\(l.value(tick, indicator.key))</text>\n"
        }
        for (n, bar) in bars.enumerated() {
            let v = bar.value
            let color = v >= target - 1e-9 ? "#4c9f70" : "#e08a3c"
            let x = Self.left + Double(n) * barW
            svg +=
                "<rect x=\"\(f(x + barW * 0.1))\" y=\"\(f(y(v)))\" width=\"\(f(max(0.5, barW * 0.8)))\" height=\"\(f(max(0, y(0) - y(v))))\" fill=\"\(color)\"><title>\(esc(bar.name)) \(l.value(v, indicator.key))</title></rect>"
        }
        svg += "\n"
        if indicator.target != nil {
            svg +=
                "<line x1=\"\(f(Self.left))\" y1=\"\(f(y(target)))\" x2=\"\(f(Self.width - 8))\" y2=\"\(f(y(target)))\" stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
            svg +=
                "<text x=\"\(f(Self.width - 10))\" y=\"\(f(y(target) - 4))\" font-size=\"11\" fill=\"#c0392b\" text-anchor=\"end\">\(l.t("目标", "target")) \(l.value(target, indicator.key))</text>\n"
        }
        if let county = indicator.value {
            svg +=
                "<line x1=\"\(f(Self.left))\" y1=\"\(f(y(county)))\" x2=\"\(f(Self.width - 8))\" y2=\"\(f(y(county)))\" stroke=\"#2c6fbb\" stroke-width=\"1.5\"/>"
            svg +=
                "<text x=\"\(f(Self.left + 4))\" y=\"\(f(y(county) - 4))\" font-size=\"11\" fill=\"#2c6fbb\">\(l.t("全县", "county")) \(l.value(county, indicator.key))</text>\n"
        }
        svg += "<line x1=\"\(f(Self.left))\" y1=\"\(f(y(0)))\" x2=\"\(f(Self.width - 8))\" y2=\"\(f(y(0)))\" stroke=\"#333\"/>"
        svg +=
            "<text x=\"\(f(Self.left))\" y=\"\(f(Self.height - 4))\" font-size=\"10\">\(l.t("学校按数值从高到低排列", "schools, highest first"))</text>\n</svg>"
        return "<figure><figcaption>\(caption)</figcaption>\n\(svg)</figure>\n"
    }

    func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
