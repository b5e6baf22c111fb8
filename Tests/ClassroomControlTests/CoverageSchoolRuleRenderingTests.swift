import ClassroomCore
import ClassroomReports
import Testing

@testable import ClassroomControl

/// The national school rule in the table and the HTML report: tallies, and for each school that does
/// not meet it, what fails and which declared figures are missing.
@Suite struct CoverageSchoolRuleRenderingTests {
    /// Two primary schools of 100 students and one multimedia room each (1.0 per 100, under 85 % of 2.3
    /// for a profile without the target: so the profile here targets only the six declared ones).
    static func report() -> CoverageReport {
        let full: [SchoolResource: Double] = [
            .qualifiedTeachers: 5, .backboneTeachers: 1, .peArtTeachers: 1, .teachingArea: 500, .sportsArea: 800,
            .equipmentValue: 210_000,
        ]
        var partial = full
        partial[.sportsArea] = nil
        let schools = [
            School(
                id: "S1", name: "甲小学", county: "测试县", township: "甲镇",
                primary: StageEnrollment(classes: 3, students: 100, resources: full)),
            School(
                id: "S2", name: "乙小学", county: "测试县", township: "乙镇",
                primary: StageEnrollment(classes: 3, students: 100, resources: partial)),
        ]
        let thresholds: [(CoverageIndicatorKey, Double)] = [
            (.qualifiedTeachersPer100Students, 4.2), (.backboneTeachersPer100Students, 1), (.peArtTeachersPer100Students, 0.9),
            (.teachingSpacePerStudent, 4.5), (.sportsGroundPerStudent, 7.5), (.equipmentValuePerStudent, 2000),
        ]
        let profile = TargetProfile(
            name: "n", title: "国家标准", plan: "办法",
            targets: thresholds.map { IndicatorTarget(key: $0.0, stage: .primary, threshold: $0.1, cvMax: 0.5, source: "办法") },
            schoolRule: SchoolRule(
                indicators: thresholds.map(\.0.rawValue), minMet: 5, restRatio: 0.85, source: "办法"))
        return CoverageCalculator(
            profile: profile, registry: Registry(schools: schools, rooms: [], teachers: [], lessons: []), basis: .declared,
            at: LocalDate(year: 2026, month: 11, day: 25), zone: CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
        ).report()
    }

    @Test func tableTalliesAndNamesTheMissingFigures() {
        let text = CoverageTableRenderer(report: Self.report(), lang: .zh).render()
        #expect(text.contains("小学: 达标 1, 不达标 0, 待定 1"))
        #expect(text.contains("待定学校（缺少的数据）:"))
        #expect(text.contains("  S2 乙小学 小学: 达标 5/5 项（已测 5 项）；缺数据：生均体育运动场馆面积（平方米）"))
        let en = CoverageTableRenderer(report: Self.report(), lang: .en).render()
        #expect(en.contains("S2 乙小学 primary: 5 met of 5 required (5 measured); no data: Sports ground area per student (m²)"))
    }

    @Test func htmlListsTheSchoolsThatDoNotMeetTheRule() {
        let html = CoverageHTMLRenderer(report: Self.report(), lang: .zh).render()
        #expect(html.contains("<td>S2</td><td>乙小学</td><td>小学</td><td class=\"\">待定（缺少指标数据）</td>"))
        #expect(!html.contains("<td>S1</td><td>甲小学</td><td>小学</td>"))
        #expect(html.contains("其余6项来自学校在 schools.csv 中的申报"))
    }
}
