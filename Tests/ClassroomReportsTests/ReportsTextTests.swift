import ClassroomCore
import ClassroomReports
import Foundation
import Testing

/// The pieces the CLI's reports and the console share: escaping, CSV, the summary chart, the reveal check.
@Suite struct ReportsTextTests {
    @Test func escapingTurnsMarkupIntoText() {
        #expect(
            HTMLEscape.escape("<script>alert('x')</script> & \"q\"")
                == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        #expect(HTMLEscape.escape("龙树镇") == "龙树镇")
    }

    @Test func csvHasBOMCRLFAndQuotesOnlyWhenNeeded() {
        let bytes = CSVTable(header: ["学校", "备注"], rows: [["a,b", "say \"hi\""], ["纯文本", "x\ny"]]).bytes()
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "学校,备注\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n纯文本,\"x\ny\"\r\n")
        #expect(CSVTable.number(0.6) == "0.6")
        #expect(CSVTable.number(12) == "12")
        #expect(CSVTable.number(nil) == "")
    }

    @Test func formulaLikeTextIsMadeInertButNumbersStayNumbers() {
        #expect(CSVTable.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVTable.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVTable.field("+86 871") == "'+86 871")
        #expect(CSVTable.field("-30") == "-30")
        #expect(CSVTable.field("-0.25") == "-0.25")
        #expect(CSVTable.field("—") == "—")
    }

    @Test func summaryChartEscapesAndDrawsTargets() {
        var i = IndicatorValue(
            key: .smartBlackboardClassCoverage, stage: .primary, value: 0.5, numerator: 1, denominator: 2, target: 1,
            assessed: true)
        i.met = false
        i.declaredValue = 1
        let svg = CoverageSummaryChart(indicators: [i], basis: .verified, labels: CoverageLabels(lang: .zh)).svg()
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("智慧黑板班级覆盖率 · 小学"))
        #expect(svg.contains("50.0% / 100.0%"))
        #expect(svg.contains("stroke=\"#c0392b\""))  // the target tick
        #expect(svg.contains("学校申报"))
        #expect(CoverageSummaryChart(indicators: [], basis: .verified, labels: CoverageLabels(lang: .en)).svg().isEmpty)
    }

    @Test func revealCheckNamesTheUnreadableField() {
        #expect(throws: RevealCheck.Failure.self) { _ = try RevealCheck.check(Data("{}".utf8)) }
        do {
            _ = try RevealCheck.check(Data("not json".utf8))
            Issue.record("no error")
        } catch {
            #expect("\(error)".hasPrefix("not a reveal document:"))
        }
    }
}
