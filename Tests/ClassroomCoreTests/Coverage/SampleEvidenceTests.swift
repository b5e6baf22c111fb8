import ClassroomCore
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
