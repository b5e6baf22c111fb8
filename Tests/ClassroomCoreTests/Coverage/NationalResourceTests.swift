import ClassroomCore
import Testing

/// The six resource indicators of the national standard that schools declare, the school rule
/// resolving with all seven, and the published worked example of the 差异系数.
@Suite("National resource indicators: declared, CV, school rule")
struct NationalResourceTests {
    /// The fixture county (A: 160 primary; B: 240 primary + 150 junior; C: a teaching point of 20)
    /// with declared resources. Every expected value below is computed by hand from these numbers.
    static var registry: Registry {
        var r = CoverageFixtures.registry
        r.schools[0].primary.resources = [
            .qualifiedTeachers: 8, .backboneTeachers: 2, .peArtTeachers: 2, .teachingArea: 800, .sportsArea: 1280,
            .equipmentValue: 352_000,
        ]
        r.schools[1].primary.resources = [
            .qualifiedTeachers: 9, .backboneTeachers: 3, .peArtTeachers: 3, .teachingArea: 1200, .sportsArea: 1920,
            .equipmentValue: 504_000,
        ]
        // The junior part never measured its sports ground: the cell is blank.
        r.schools[1].junior.resources = [
            .qualifiedTeachers: 9, .backboneTeachers: 2, .peArtTeachers: 2, .teachingArea: 900, .equipmentValue: 400_000,
        ]
        return r
    }

    /// The fixture profile plus the national thresholds of the six declared indicators.
    static var profile: TargetProfile {
        var p = CoverageFixtures.profile
        let thresholds: [(CoverageIndicatorKey, Double, Double)] = [
            (.qualifiedTeachersPer100Students, 4.2, 5.3), (.backboneTeachersPer100Students, 1, 1),
            (.peArtTeachersPer100Students, 0.9, 0.9), (.teachingSpacePerStudent, 4.5, 5.8),
            (.sportsGroundPerStudent, 7.5, 10.2), (.equipmentValuePerStudent, 2000, 2500),
        ]
        for (key, primary, junior) in thresholds {
            p.targets.append(IndicatorTarget(key: key, stage: .primary, threshold: primary, cvMax: 0.5, source: "t"))
            p.targets.append(IndicatorTarget(key: key, stage: .junior, threshold: junior, cvMax: 0.45, source: "t"))
        }
        return p
    }

    static func report() -> CoverageReport {
        CoverageCalculator(
            profile: profile, registry: registry, basis: .declared, at: CoverageFixtures.day, zone: CoverageFixtures.zone
        ).report()
    }

    @Test func declaredResourcesBecomeRatesPerStudentOrPer100() throws {
        let a = try #require(Self.report().school("A"))
        #expect(a.indicator(.qualifiedTeachersPer100Students, .primary)?.value == 5)  // 8 × 100 / 160
        #expect(a.indicator(.backboneTeachersPer100Students, .primary)?.value == 1.25)  // 2 × 100 / 160
        #expect(a.indicator(.teachingSpacePerStudent, .primary)?.value == 5)  // 800 / 160
        #expect(a.indicator(.sportsGroundPerStudent, .primary)?.value == 8)  // 1280 / 160
        #expect(a.indicator(.equipmentValuePerStudent, .primary)?.value == 2200)  // 352000 / 160
        #expect(a.indicator(.equipmentValuePerStudent, .primary)?.met == true)
        let b = try #require(Self.report().school("B"))
        #expect(b.indicator(.qualifiedTeachersPer100Students, .primary)?.value == 3.75)  // 9 × 100 / 240
        #expect(b.indicator(.qualifiedTeachersPer100Students, .primary)?.met == false)
        #expect(b.indicator(.qualifiedTeachersPer100Students, .junior)?.value == 6)  // 9 × 100 / 150
        #expect(b.indicator(.sportsGroundPerStudent, .junior)?.value == nil)
    }

    @Test func theSchoolRuleResolvesWithAllSevenIndicators() throws {
        let report = Self.report()
        // A: six met (5.0, 1.25, 1.25, 5.0, 8.0, 2200) but multimedia 1.875 / 2.3 = 0.815 < 85 %.
        let a = try #require(report.school("A")?.schoolRule.first)
        #expect(a.status == .fails)
        #expect(a.measured == 7)
        #expect(a.met == 6)
        #expect(a.belowRest == ["multimedia_classrooms_per_100_students"])
        #expect(a.notMeasured.isEmpty)
        // B primary: six met (1.25, 1.25, 5.0, 8.0, 2100, multimedia 2.756), teachers 3.75 / 4.2 = 0.893 ≥ 85 %.
        let b = try #require(report.school("B")?.schoolRule.first { $0.stage == .primary })
        #expect(b.status == .meets)
        #expect(b.measured == 7)
        #expect(b.met == 6)
        #expect(b.belowRest.isEmpty)
        #expect(
            report.county.schoolRule.first { $0.stage == .primary }.map { ($0.meets, $0.fails, $0.undetermined) }! == (1, 1, 0))
    }

    @Test func aBlankResourceKeepsTheRuleUndeterminedAndSaysWhich() throws {
        let report = Self.report()
        // B junior: five declared met, multimedia 2.256 / 2.4 = 0.94 not met but ≥ 85 %, sports ground
        // blank: met → meets, missed → fails, so undetermined.
        let b = try #require(report.school("B")?.schoolRule.first { $0.stage == .junior })
        #expect(b.status == .undetermined)
        #expect(b.measured == 6)
        #expect(b.met == 5)
        #expect(b.notMeasured == ["sports_ground_per_student"])
        // The county value and its CV need every assessed school's figure.
        let county = try #require(report.county.indicator(.sportsGroundPerStudent, .junior))
        #expect(county.value == nil)
        #expect(county.cv == nil)
        #expect(report.county.schoolRule.first { $0.stage == .junior }?.undetermined == 1)
    }

    @Test func countyValuesAndCVFromTotals() throws {
        let county = Self.report().county
        // X̄ = 100 × 17 / 400 = 4.25; S² = 0.4 × 0.75² + 0.6 × 0.5² = 0.375; CV = √0.375 / 4.25.
        let qualified = try #require(county.indicator(.qualifiedTeachersPer100Students, .primary))
        #expect(qualified.value == 4.25)
        #expect(abs(qualified.cv! - 0.375.squareRoot() / 4.25) < 1e-12)
        #expect(qualified.cvTarget == 0.5)
        #expect(qualified.cvMet == true)
        // X̄ = 856000 / 400 = 2140; S² = 0.4 × 60² + 0.6 × 40² = 2400; CV = √2400 / 2140 ≈ 0.0229.
        let equipment = try #require(county.indicator(.equipmentValuePerStudent, .primary))
        #expect(equipment.value == 2140)
        #expect(abs(equipment.cv! - 2400.0.squareRoot() / 2140) < 1e-12)
        // Both schools have 5 m² per student: no variation.
        #expect(county.indicator(.teachingSpacePerStudent, .primary)?.cv == 0)
    }

    @Test func teachingPointsAreLeftOut() throws {
        let report = Self.report()
        let c = try #require(report.school("C"))
        #expect(c.indicator(.qualifiedTeachersPer100Students, .primary)?.assessed == false)
        #expect(c.schoolRule.isEmpty)
        // C declared nothing, yet the county primary value exists: only assessed schools count.
        #expect(report.county.indicator(.qualifiedTeachersPer100Students, .primary)?.value == 4.25)
    }

    @Test func withoutDeclaredColumnsTheRuleStaysUndetermined() throws {
        let report = CoverageCalculator(
            profile: Self.profile, registry: CoverageFixtures.registry, basis: .declared, at: CoverageFixtures.day,
            zone: CoverageFixtures.zone
        ).report()
        let b = try #require(report.school("B")?.schoolRule.first { $0.stage == .primary })
        #expect(b.status == .undetermined)
        #expect(b.notMeasured == CoverageIndicatorKey.nationalResources.dropLast().map(\.rawValue))
    }

    @Test func profilesThatNeverMentionThemLeaveThemOut() {
        var p = CoverageFixtures.profile
        p.schoolRule = nil
        let report = CoverageCalculator(
            profile: p, registry: Self.registry, basis: .declared, at: CoverageFixtures.day, zone: CoverageFixtures.zone
        ).report()
        #expect(report.schools.allSatisfy { $0.indicators.allSatisfy { $0.key.declaredResource == nil } })
    }

    /// The worked example of the county-level 差异系数 published with the balance-assessment guidance:
    /// 《县域义务教育校际均衡指标计算方法（以生均图书册数为例）》, reposted at
    /// https://m.777doc.com/doc-2019910.html and http://bubsandbeans.com/paper/263358190.html.
    /// Five primary schools (students, books): (45, 279), (37, 137), (89, 935), (76, 160), (55, 402);
    /// county 302 students, 1913 books, 6.33 per student. It prints the per-school terms
    /// Pᵢ/P · (Xᵢ − X̄)² as 0.003, 0.85, 5.13, 4.50, 0.17, their sum 10.65, its root 3.26 and CV 0.52.
    /// Unrounded (by hand from the same table): X̄ = 6.3344, Σ = 10.6528, S = 3.2639, CV = 0.5153.
    /// (Two of the schools are under 50 students; the guidance example predates that rule, so the
    /// vector goes through ``CoefficientOfVariation`` directly rather than a registry.)
    @Test func thePublishedWorkedExampleIsReproduced() throws {
        let table: [(students: Int, books: Double)] = [(45, 279), (37, 137), (89, 935), (76, 160), (55, 402)]
        let samples = table.map {
            CoefficientOfVariation.Sample(students: $0.students, numerator: $0.books, denominator: Double($0.students))
        }
        let cv = try #require(CoefficientOfVariation.compute(samples))
        func rounded(_ x: Double, _ places: Double) -> Double { (x * places).rounded() / places }
        #expect(rounded(cv, 1000) == 0.515)
        #expect(rounded(cv, 100) == 0.52)  // as published
        let mean = 1913.0 / 302
        #expect(rounded(mean, 100) == 6.33)
        #expect(rounded(cv * mean, 100) == 3.26)  // S
        #expect(rounded((cv * mean) * (cv * mean), 100) == 10.65)  // Σ of the per-school terms
    }
}
