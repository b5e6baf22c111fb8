import ClassroomCore
import Foundation

/// An inline SVG of the county's targeted indicators: one row per indicator and stage, the verified
/// (or declared) value as a bar, on the verified basis the schools' declared value as a thinner grey
/// bar beneath it, and the target as a red tick, each row on its own scale (shares 0–100 %).
public struct CoverageSummaryChart: Sendable {
    public var indicators: [IndicatorValue]
    public var basis: CoverageBasis
    public var labels: CoverageLabels

    public init(indicators: [IndicatorValue], basis: CoverageBasis, labels: CoverageLabels) {
        self.indicators = indicators
        self.basis = basis
        self.labels = labels
    }

    static let width = 900.0
    static let labelWidth = 320.0
    static let valueWidth = 180.0
    static let rowHeight = 34.0
    static let top = 22.0

    /// The `<svg>` element (no caption); an empty string when no indicator has a target.
    public func svg() -> String {
        let rows = indicators.filter { $0.target != nil }
        guard !rows.isEmpty else { return "" }
        let l = labels
        let height = Self.top + Double(rows.count) * Self.rowHeight + 8
        let plotW = Self.width - Self.labelWidth - Self.valueWidth
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"summary-chart\" width=\"\(Int(Self.width))\" "
        s += "height=\"\(Int(height))\" viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" role=\"img\" "
        s += "aria-label=\"\(esc(l.t("全县指标与目标", "County indicators against targets")))\">\n"
        s += legend()
        for (n, i) in rows.enumerated() {
            let y0 = Self.top + Double(n) * Self.rowHeight
            let target = i.target ?? 0
            let top = i.key.isShare ? 1.0 : max(target, i.value ?? 0, i.declaredValue ?? 0, 0.01) * 1.25
            func x(_ v: Double) -> Double { Self.labelWidth + plotW * min(max(v / top, 0), 1) }
            let name = "\(l.name(i.key)) · \(l.stage(i.stage))"
            s +=
                "<text x=\"\(f(Self.labelWidth - 8))\" y=\"\(f(y0 + 16))\" font-size=\"12\" text-anchor=\"end\">\(esc(name))</text>"
            s += "<rect x=\"\(f(Self.labelWidth))\" y=\"\(f(y0 + 4))\" width=\"\(f(plotW))\" height=\"16\" fill=\"#f1f3f5\"/>"
            if let v = i.value {
                let color = i.met == false ? "#e08a3c" : "#2c6fbb"
                s += "<rect x=\"\(f(Self.labelWidth))\" y=\"\(f(y0 + 4))\" width=\"\(f(x(v) - Self.labelWidth))\" height=\"16\" "
                s += "fill=\"\(color)\"><title>\(esc(name)) \(l.value(v, i.key))</title></rect>"
            }
            if basis == .verified, let d = i.declaredValue {
                s += "<rect x=\"\(f(Self.labelWidth))\" y=\"\(f(y0 + 22))\" width=\"\(f(x(d) - Self.labelWidth))\" height=\"6\" "
                s += "fill=\"#9aa5b1\"><title>\(esc(l.t("学校申报", "declared"))) \(l.value(d, i.key))</title></rect>"
            }
            s += "<line x1=\"\(f(x(target)))\" y1=\"\(f(y0 + 1))\" x2=\"\(f(x(target)))\" y2=\"\(f(y0 + 30))\" "
            s +=
                "stroke=\"#c0392b\" stroke-width=\"2\"><title>\(esc(l.t("目标", "target"))) \(l.value(target, i.key))</title></line>"
            let shown = l.value(of: i) + " / " + l.value(target, i.key)
            s += "<text x=\"\(f(Self.width - Self.valueWidth + 8))\" y=\"\(f(y0 + 16))\" font-size=\"12\">\(esc(shown))</text>\n"
        }
        return s + "</svg>"
    }

    func legend() -> String {
        let l = labels
        var items: [(String, String)] = [(l.basis(basis), "#2c6fbb")]
        if basis == .verified { items.append((l.t("学校申报", "declared"), "#9aa5b1")) }
        items.append((l.t("目标", "target"), "#c0392b"))
        var s = ""
        var x = Self.labelWidth
        for (text, color) in items {
            s += "<rect x=\"\(f(x))\" y=\"4\" width=\"12\" height=\"10\" fill=\"\(color)\"/>"
            s += "<text x=\"\(f(x + 16))\" y=\"13\" font-size=\"11\">\(esc(text))</text>"
            x += 24 + Double(text.count) * (text.unicodeScalars.first.map { $0.value > 0x2E80 } == true ? 12 : 6.5)
        }
        return s + "\n"
    }

    func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
