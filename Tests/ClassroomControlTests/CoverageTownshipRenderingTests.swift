import ClassroomCore
import ClassroomReports
import Foundation
import Testing

@testable import ClassroomControl

/// Township rows in the table, the printable page and the CSV: one county of three schools in two
/// townships (镇一: 200 + 300 students, 4 + 9 rooms → 2.6 per 100; 镇二: 100 students, 1 room → 1.0),
/// multimedia classrooms per 100 primary students against 2.3.
@Suite struct CoverageTownshipRenderingTests {
    static func report(a2Rooms: Int = 9) -> CoverageReport {
        var schools: [School] = []
        var rooms: [Room] = []
        for (id, township, students, count) in [("A1", "镇一", 200, 4), ("A2", "镇一", 300, a2Rooms), ("A3", "镇二", 100, 1)] {
            schools.append(
                School(
                    id: id, name: "\(id)小学", county: "甲县", township: township,
                    primary: StageEnrollment(classes: count, students: students)))
            rooms += (1...count).map {
                Room(
                    id: "\(id)-\($0)", schoolID: id, name: "教室\($0)", kind: .classroom, stage: .primary, className: "\($0)班",
                    declared: [.display, .network])
            }
        }
        let profile = TargetProfile(
            name: "t", title: "测试目标", plan: "测试方案",
            targets: [
                IndicatorTarget(
                    key: .multimediaClassroomsPer100Students, stage: .primary, threshold: 2.3, cvMax: 0.5, source: "测试")
            ])
        return CoverageCalculator(
            profile: profile, registry: Registry(schools: schools, rooms: rooms, teachers: [], lessons: []),
            basis: .declared, at: LocalDate(year: 2026, month: 11, day: 25), zone: CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
        ).report()
    }

    @Test func theTableListsEachTownship() {
        let zh = CoverageTableRenderer(report: Self.report(), lang: .zh).render()
        #expect(zh.contains("各乡镇（2 个）"), "\(zh)")
        let lines = zh.split(separator: "\n")
        #expect(lines.contains { $0.contains("镇一") && $0.contains("500") && $0.contains("2.6") && $0.contains("达标") })
        #expect(lines.contains { $0.contains("镇二") && $0.contains("100") && $0.contains("1.0") && $0.contains("2") })
        // What each township lacks for the indicator: 镇一 ⌈2.3 × 200 ÷ 100⌉ = 5 − 4 = 1 (A2 has 9 ≥ 7), 镇二 3 − 1 = 2.
        let missing = lines.filter { $0.contains("镇一") || $0.contains("镇二") }.map {
            $0.split(separator: " ", omittingEmptySubsequences: true).suffix(2).joined(separator: " ")
        }
        #expect(missing == ["1 网络多媒体教室（间）", "2 网络多媒体教室（间）"], "\(zh)")
        #expect(zh.contains("乡镇行为该乡镇学校的合计"))
        let en = CoverageTableRenderer(report: Self.report(), lang: .en).render()
        #expect(en.contains("Townships (2)"))
    }

    @Test func aTownshipsGapIsItsSchoolsGapsSummed() {
        // A2 with 5 rooms for 300 students lacks ⌈6.9⌉ − 5 = 2, A1 lacks 1: 镇一 lacks 3; 镇二 still 2.
        let rows = CoverageTownshipRows(report: Self.report(a2Rooms: 5), labels: CoverageLabels(lang: .zh))
        let gap = { (township: String) in
            rows.gap(county: "甲县", township: township, key: .multimediaClassroomsPer100Students, stage: .primary)
        }
        #expect(gap("镇一")?.missing == 3)
        #expect(gap("镇一")?.item == "multimedia_classroom")
        #expect(gap("镇二")?.missing == 2)
        #expect(gap("镇三") == nil)
        #expect(rows.gap(county: "乙县", township: "镇一", key: .multimediaClassroomsPer100Students, stage: .primary) == nil)
        #expect(rows.gap(county: "甲县", township: "镇一", key: .smartBlackboardClassCoverage, stage: .primary) == nil)
    }

    @Test func thePrintablePageHasATownshipTable() {
        let html = CoverageHTMLRenderer(report: Self.report(), lang: .zh).render()
        #expect(html.contains("各乡镇指标（2 个）"))
        #expect(html.contains("<td class=\"\">镇二</td>"))
    }

    @Test func theCSVPutsTheTownshipsAfterTheirCounty() {
        let csv = String(decoding: CoverageCSVRenderer(report: Self.report(), lang: .zh).render().dropFirst(3), as: UTF8.self)
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        let county = lines.firstIndex { $0.hasPrefix("全县,甲县,") }
        let one = lines.firstIndex { $0.hasPrefix("乡镇,甲县,镇一,") }
        let two = lines.firstIndex { $0.hasPrefix("乡镇,甲县,镇二,") }
        let school = lines.firstIndex { $0.hasPrefix("A1,") }
        #expect(county != nil && one != nil && two != nil && school != nil, "\(csv)")
        if let county, let one, let two, let school { #expect(county < one && one < two && two < school) }
        // value, target, met, numerator, denominator, assessed; no CV and no CV target on a township.
        func multimedia(_ prefix: String) -> String {
            lines.first { $0.hasPrefix(prefix) && $0.contains(",multimedia_classrooms_per_100_students,") } ?? ""
        }
        #expect(multimedia("乡镇,甲县,镇一,").contains(",2.6,2.3,是,13,500,是,,,"), "\(csv)")
        #expect(multimedia("乡镇,甲县,镇二,").contains(",1,2.3,否,1,100,是,,,"), "\(csv)")
        // The township's schools' gaps for that indicator, summed: 镇一 1 (A1), 镇二 2 (A3).
        #expect(multimedia("乡镇,甲县,镇一,").hasSuffix(",1,网络多媒体教室（间）"), "\(csv)")
        #expect(multimedia("乡镇,甲县,镇二,").hasSuffix(",2,网络多媒体教室（间）"), "\(csv)")
        #expect(multimedia("全县,甲县,").contains(",0.5,"), "the county keeps its CV target")
    }
}
