import ClassroomCore
import Testing

/// The national standard's thresholds as shipped, and the `unit` key of a target.
@Suite("National profile: all seven indicators with units and thresholds")
struct NationalProfileTests {
    /// The seven indicators with their thresholds (primary, junior) and units, as the standard
    /// (教督〔2017〕6号, 资源配置) publishes them.
    static let standard: [(CoverageIndicatorKey, Double, Double, String)] = [
        (.qualifiedTeachersPer100Students, 4.2, 5.3, "人/百名学生"),
        (.backboneTeachersPer100Students, 1, 1, "人/百名学生"),
        (.peArtTeachersPer100Students, 0.9, 0.9, "人/百名学生"),
        (.teachingSpacePerStudent, 4.5, 5.8, "平方米/生"),
        (.sportsGroundPerStudent, 7.5, 10.2, "平方米/生"),
        (.equipmentValuePerStudent, 2000, 2500, "元/生"),
        (.multimediaClassroomsPer100Students, 2.3, 2.4, "间/百名学生"),
    ]

    @Test(arguments: ["national-quality-balance", "luxi-2023", "luxi-2024", "luxi-2025"])
    func everyIndicatorOfTheSchoolRuleHasTheStandardsThresholds(name: String) throws {
        let p = try TargetProfileTests.load(name)
        let rule = try #require(p.schoolRule)
        #expect(Set(rule.indicators) == Set(Self.standard.map(\.0.rawValue)))
        for (key, primary, junior, unit) in Self.standard {
            #expect(p.target(key, .primary).map { ($0.threshold, $0.cvMax) }! == (primary, 0.5), "\(key)")
            #expect(p.target(key, .junior).map { ($0.threshold, $0.cvMax) }! == (junior, 0.45), "\(key)")
            #expect(key.unit == unit)
        }
    }

    @Test func theUnitMustBeTheIndicatorsOwn() throws {
        let profile = """
            name = "t"
            plan = "p"

            [[target]]
            indicator = "equipment_value_per_student"
            stages = ["primary"]
            threshold = 0.2
            unit = "万元/生"
            source = "s"
            """
        do {
            _ = try TargetProfile.load(profile, file: "bad.toml")
            Issue.record("a wrong unit was accepted")
        } catch {
            #expect(
                error.description
                    == "bad.toml:8: target.unit: '万元/生' is not the unit of equipment_value_per_student (expected '元/生')")
        }
        let right = profile.replacing("万元/生", with: "元/生").replacing("0.2", with: "2000")
        #expect(try TargetProfile.load(right, file: "t.toml").target(.equipmentValuePerStudent, .primary)?.threshold == 2000)
    }

    @Test func zhaotongProfilesDoNotReportTheDeclaredIndicators() throws {
        let p = try TargetProfileTests.load("zhaotong-2025")
        #expect(CoverageIndicatorKey.allCases.filter { $0.declaredResource != nil }.allSatisfy { !p.mentions($0) })
    }
}
