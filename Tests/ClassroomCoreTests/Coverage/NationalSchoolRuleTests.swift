import ClassroomCore
import Testing

@Suite("National school rule: ≥ 6 of 7 met, the rest ≥ 85 %")
struct NationalSchoolRuleTests {
    let rule = SchoolRule(
        indicators: CoverageIndicatorKey.nationalResources.map(\.rawValue), minMet: 6, restRatio: 0.85, source: "t")
    var names: [String] { rule.indicators }

    func ratios(_ values: [Double]) -> [String: Double] { Dictionary(uniqueKeysWithValues: zip(names, values)) }

    @Test func sixMetAndTheSeventhAbove85PercentMeets() {
        let r = rule.evaluate(stage: .primary, ratios: ratios([1, 1, 1.2, 1, 1, 1, 0.9]))
        #expect(r.status == .meets)
        #expect(r.met == 6)
        #expect(r.notMeasured.isEmpty)
    }

    @Test func allSevenMetMeets() {
        #expect(rule.evaluate(stage: .junior, ratios: ratios(Array(repeating: 1, count: 7))).status == .meets)
    }

    @Test func theSeventhBelow85PercentFails() {
        let r = rule.evaluate(stage: .primary, ratios: ratios([1, 1, 1, 1, 1, 1, 0.84]))
        #expect(r.status == .fails)
        #expect(r.belowRest == [names[6]])
    }

    @Test func onlyFiveMetFailsEvenAbove85Percent() {
        #expect(rule.evaluate(stage: .primary, ratios: ratios([1, 1, 1, 1, 1, 0.9, 0.9])).status == .fails)
    }

    @Test func unmeasuredIndicatorsLeaveItUndetermined() {
        let r = rule.evaluate(stage: .primary, ratios: [names[6]: 1.1])
        #expect(r.status == .undetermined)
        #expect(r.measured == 1)
        #expect(r.notMeasured.count == 6)
        // Two measured misses already exceed the one allowed.
        #expect(rule.evaluate(stage: .primary, ratios: [names[0]: 0.9, names[1]: 0.95]).status == .fails)
    }
}
