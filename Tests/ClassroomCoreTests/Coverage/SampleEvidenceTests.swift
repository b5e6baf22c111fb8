import ClassroomCore
import ClassroomSamples
import Testing

@Suite("Simulated agents' evidence for a synthetic county")
struct SampleEvidenceTests {
    let registry = SampleCounty(schools: 30, seed: 5).generate()
    let day = LocalDate(year: 2026, month: 11, day: 25)
    let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)

    @Test func sameSeedSameEvidenceAndReport() {
        let a = SampleEvidence(seed: 9).generate(for: registry, at: day, zone: zone)
        let b = SampleEvidence(seed: 9).generate(for: registry, at: day, zone: zone)
        #expect(a == b)
        #expect(a != SampleEvidence(seed: 10).generate(for: registry, at: day, zone: zone))
    }

    @Test func verifiedReportIsBelowDeclaredAndMeasuresUsage() throws {
        let evidence = SampleEvidence(seed: 9).generate(for: registry, at: day, zone: zone)
        let profile = TargetProfile(
            name: "t", title: "t", plan: "p",
            targets: [
                IndicatorTarget(key: .smartBlackboardClassCoverage, stage: .primary, threshold: 1, source: "s"),
                IndicatorTarget(key: .usageRate, stage: .primary, threshold: 0.9, source: "s"),
            ])
        let report = CoverageCalculator(
            profile: profile, registry: registry, basis: .verified, evidence: evidence, at: day, zone: zone
        ).report()
        let smart = try #require(report.county.indicator(.smartBlackboardClassCoverage, .primary))
        // Agents find no more than schools declare: some rooms have none, some devices are missing.
        #expect(try #require(smart.value) < (try #require(smart.declaredValue)))
        #expect(smart.differsFromDeclared == true)
        let usage = try #require(report.county.indicator(.usageRate, .primary)?.value)
        #expect(usage > 0.6 && usage < 0.95, "usage \(usage): simulated lessons are used with probability 0.8")
    }
}

@Suite("Weekly trend points")
struct CoverageTrendTests {
    @Test func sundaysThenTheLastDay() {
        let days = CoverageTrend.days(
            from: LocalDate(year: 2026, month: 11, day: 4), to: LocalDate(year: 2026, month: 11, day: 25))
        #expect(days.map(\.description) == ["2026-11-08", "2026-11-15", "2026-11-22", "2026-11-25"])
        #expect(
            CoverageTrend.days(from: LocalDate(year: 2026, month: 11, day: 25), to: LocalDate(year: 2026, month: 11, day: 25))
                .count == 1)
        #expect(
            CoverageTrend.days(from: LocalDate(year: 2026, month: 11, day: 25), to: LocalDate(year: 2026, month: 11, day: 1))
                .isEmpty)
        // Across a year boundary: 2026-12-31 is a Thursday of 2026-W53.
        let turn = CoverageTrend.days(
            from: LocalDate(year: 2026, month: 12, day: 28), to: LocalDate(year: 2027, month: 1, day: 10))
        #expect(turn.map(\.description) == ["2027-01-03", "2027-01-10"])
    }

    @Test func pointsCarryTheISOWeekOfEachReport() {
        let registry = SampleCounty(schools: 8, seed: 2).generate()
        let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
        let profile = TargetProfile(
            name: "t", title: "t", plan: "p",
            targets: [IndicatorTarget(key: .usageRate, stage: .primary, threshold: 0.9, source: "s")])
        let reports = CoverageTrend.days(
            from: LocalDate(year: 2026, month: 11, day: 9), to: LocalDate(year: 2026, month: 11, day: 22)
        )
        .map { day in
            CoverageCalculator(
                profile: profile, registry: registry, basis: .verified,
                evidence: SampleEvidence(seed: 1).generate(for: registry, at: day, zone: zone), at: day, zone: zone
            ).report()
        }
        let points = CoverageTrend.points(reports)
        #expect(points.map(\.week) == ["2026-W46", "2026-W47"])
        #expect(points.allSatisfy { $0.indicators.contains { $0.key == .usageRate && $0.value != nil } })
    }
}
