import ClassroomCore
import Testing

@Suite("Coverage on the declared basis, hand-computed")
struct CoverageDeclaredTests {
    let report = CoverageCalculator(
        profile: CoverageFixtures.profile, registry: CoverageFixtures.registry, basis: .declared, at: CoverageFixtures.day,
        zone: CoverageFixtures.zone
    ).report()

    @Test func schoolIndicators() throws {
        let a = try #require(report.school("A"))
        #expect(a.indicator(.smartBlackboardClassCoverage, .primary)?.value == 0.5)
        #expect(a.indicator(.digitalClassroomCoverage, .primary)?.value == 0.25)
        #expect(a.indicator(.recordingClassrooms, .primary)?.value == 1)
        #expect(a.indicator(.recordingClassrooms, .primary)?.met == true)
        #expect(a.indicator(.multimediaClassroomsPer100Students, .primary)?.value == 1.875)
        #expect(a.indicator(.multimediaClassroomsPer100Students, .primary)?.met == false)
        #expect(a.indicator(.networkAccess, .all)?.value == 1)
        // Usage cannot be measured from declarations.
        #expect(a.indicator(.usageRate, .primary)?.value == nil)
        #expect(a.indicator(.usageRate, .primary)?.met == nil)
    }

    @Test func nineYearSchoolHasBothStagesAndSplitsTheSharedLab() throws {
        let b = try #require(report.school("B"))
        #expect(b.indicator(.smartBlackboardClassCoverage, .primary)?.value == 1)
        #expect(b.indicator(.digitalClassroomCoverage, .primary)?.value == 0)
        #expect(b.indicator(.digitalClassroomCoverage, .junior)?.value == 1)
        #expect(b.indicator(.recordingClassrooms, .junior)?.value == 0)
        let primary = try #require(b.indicator(.multimediaClassroomsPer100Students, .primary)?.value)
        #expect(abs(primary - (6 + 240.0 / 390) / 240 * 100) < 1e-12)
        let junior = try #require(b.indicator(.multimediaClassroomsPer100Students, .junior)?.value)
        #expect(abs(junior - (3 + 150.0 / 390) / 150 * 100) < 1e-12)
        #expect(b.indicator(.smartBlackboardClassCoverage, .high) == nil)
    }

    @Test func teachingPointIsLeftOutOfResourceIndicatorsButNotCoverage() throws {
        let c = try #require(report.school("C"))
        #expect(c.teachingPoint)
        #expect(c.indicator(.multimediaClassroomsPer100Students, .primary)?.assessed == false)
        #expect(c.indicator(.recordingClassrooms, .primary)?.assessed == false)
        #expect(c.indicator(.smartBlackboardClassCoverage, .primary)?.assessed == true)
        #expect(c.schoolRule.isEmpty)
        #expect(c.gap("multimedia_classroom", .primary) == nil)
        #expect(c.gap("recording_classroom", .primary) == nil)
        #expect(c.gap("smart_blackboard", .primary)?.missing == 1)
    }

    @Test func countyValuesFromTotalsAndCV() throws {
        let smart = try #require(report.county.indicator(.smartBlackboardClassCoverage, .primary))
        #expect(smart.numerator == 8)
        #expect(smart.denominator == 11)
        #expect(smart.met == false)
        // CV without the teaching point: A 0.5 (160 students), B 1.0 (240), mean from totals 8/10.
        #expect(abs(try #require(smart.cv) - 0.30618621784789724) < 1e-12)

        let mm = try #require(report.county.indicator(.multimediaClassroomsPer100Students, .primary))
        #expect(abs(try #require(mm.value) - 2.4038461538461537) < 1e-12)
        #expect(mm.met == true)
        #expect(abs(try #require(mm.cv) - 0.17962924780409972) < 1e-12)
        #expect(mm.cvTarget == 0.5)
        #expect(mm.cvMet == true)
        #expect(report.county.indicator(.networkAccess, .all)?.value == 1)
        #expect(report.county.indicator(.usageRate, .primary)?.value == nil)
        #expect(report.county.teachingPoints == 1)
    }

    @Test func gapsPerSchoolAndProcurementTotals() throws {
        let a = try #require(report.school("A"))
        #expect(a.gap("smart_blackboard", .primary).map { ($0.have, $0.needed, $0.missing) }! == (2, 4, 2))
        #expect(a.gap("digital_classroom_kit", .primary)?.missing == 3)
        // ceil(2.3 × 160 / 100) = 4 rooms needed, 3 declared.
        #expect(a.gap("multimedia_classroom", .primary).map { ($0.have, $0.needed, $0.missing) }! == (3, 4, 1))
        #expect(a.gap("recording_classroom", .primary) == nil)
        let b = try #require(report.school("B"))
        #expect(b.gap("recording_classroom", .primary)?.missing == 1)
        #expect(b.gap("recording_classroom", .junior)?.missing == 1)
        #expect(b.gap("multimedia_classroom", .primary) == nil)
        #expect(b.gap("multimedia_classroom", .junior).map { ($0.have, $0.needed) }! == (3, 4))
        let totals = Dictionary(uniqueKeysWithValues: report.county.gaps.map { ($0.item, ($0.missing, $0.schools)) })
        #expect(totals["smart_blackboard"]! == (3, 2))
        #expect(totals["digital_classroom_kit"]! == (10, 3))
        #expect(totals["recording_classroom"]! == (2, 1))
        #expect(totals["multimedia_classroom"]! == (2, 2))
        #expect(totals["network_connection"] == nil)
    }

    @Test func nationalSchoolRuleWithOneMeasuredIndicator() throws {
        let a = try #require(report.school("A")?.schoolRule.first)
        // 1.875 / 2.3 = 0.815 < 0.85: fails whatever the six unmeasured indicators are.
        #expect(a.status == .fails)
        #expect(a.notMeasured.count == 6)
        let b = try #require(report.school("B")?.schoolRule)
        #expect(b.map(\.stage) == [.primary, .junior])
        #expect(b.allSatisfy { $0.status == .undetermined })
        let tally = report.county.schoolRule.first { $0.stage == .primary }
        #expect(tally.map { ($0.meets, $0.fails, $0.undetermined) }! == (0, 1, 1))
    }

    @Test func recordingRequirementIsCeilOfClassesOver18Or12() {
        func required(_ stage: Stage, _ classes: Int) -> Double? {
            let school = School(
                id: "X", name: "X", county: "c", township: "t",
                primary: stage == .primary ? StageEnrollment(classes: classes, students: classes * 40) : .none,
                junior: stage == .junior ? StageEnrollment(classes: classes, students: classes * 45) : .none)
            let r = CoverageCalculator(
                profile: CoverageFixtures.profile, registry: Registry(schools: [school], rooms: [], teachers: [], lessons: []),
                basis: .declared, at: CoverageFixtures.day, zone: CoverageFixtures.zone
            ).report()
            return r.school("X")?.indicator(.recordingClassrooms, IndicatorStage(stage))?.denominator
        }
        #expect(required(.primary, 18) == 1)
        #expect(required(.primary, 19) == 2)
        #expect(required(.primary, 36) == 2)
        #expect(required(.junior, 12) == 1)
        #expect(required(.junior, 13) == 2)
        #expect(required(.junior, 25) == 3)
    }
}
