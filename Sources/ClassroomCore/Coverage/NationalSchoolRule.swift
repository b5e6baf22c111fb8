/// The verdict of the national school rule (≥ `minMet` of the indicators met, the rest ≥ `restRatio`
/// of the standard) for one school and stage.
public struct SchoolRuleResult: Codable, Sendable, Hashable {
    /// `meets`, `fails`, or `undetermined` (待定) when the indicators without a value could still decide it.
    public enum Status: String, Codable, Sendable, Hashable {
        case meets, fails, undetermined
    }

    public var stage: IndicatorStage
    public var status: Status
    /// Indicators measured and met, and measured in all.
    public var met: Int
    public var measured: Int
    public var required: Int
    /// Measured indicators below `restRatio` of their standard.
    public var belowRest: [String]
    /// Indicators of the rule without a value for this school and stage: a resource the school left
    /// blank in `schools.csv`, one not measurable on this basis, or one the profile sets no target for.
    public var notMeasured: [String]

    enum CodingKeys: String, CodingKey {
        case stage, status, met, measured, required
        case belowRest = "below_rest"
        case notMeasured = "not_measured"
    }
}

extension SchoolRule {
    /// Applies the rule to one school and stage.
    ///
    /// - Parameter ratios: value ÷ standard of each indicator of the rule that was measured
    ///   (≥ 1 is met); indicators missing from the dictionary have no value (``SchoolRuleResult/notMeasured``).
    public func evaluate(stage: IndicatorStage, ratios: [String: Double]) -> SchoolRuleResult {
        var met = 0
        var measured = 0
        var below: [String] = []
        var notMeasured: [String] = []
        for name in indicators {
            guard let r = ratios[name] else {
                notMeasured.append(name)
                continue
            }
            measured += 1
            if r >= 1 - 1e-9 { met += 1 } else if r < restRatio - 1e-9 { below.append(name) }
        }
        let unmetMeasured = measured - met
        let status: SchoolRuleResult.Status
        if !below.isEmpty || unmetMeasured > indicators.count - minMet {
            // Already decided: one indicator under the floor, or too many missed to reach minMet.
            status = .fails
        } else if notMeasured.isEmpty {
            status = met >= minMet ? .meets : .fails
        } else {
            status = .undetermined
        }
        return SchoolRuleResult(
            stage: stage, status: status, met: met, measured: measured, required: minMet, belowRest: below,
            notMeasured: notMeasured)
    }
}
