/// The coefficient of variation between schools (差异系数) of one indicator and stage, exactly as
/// ARCHITECTURE.md §2 and the national quality-balance standard define it.
///
/// X̄ is the county value from totals (Σ numerators ÷ Σ denominators × scale, i.e. the
/// student-weighted mean for per-student indicators); S = √(Σ (Pᵢ/P)(Xᵢ − X̄)²); CV = S ÷ X̄.
public enum CoefficientOfVariation {
    /// One school's part: its students Pᵢ, and the indicator's numerator and denominator.
    public struct Sample: Sendable, Hashable {
        public var students: Int
        public var numerator: Double
        public var denominator: Double

        public init(students: Int, numerator: Double, denominator: Double) {
            self.students = students
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// The CV, or nil when it is undefined: no school with students, or a county mean of zero.
    ///
    /// - Parameters:
    ///   - samples: the assessed schools (the caller leaves out teaching points under 50 students).
    ///   - scale: the indicator's unit (100 for "per 100 students", 1 for shares).
    public static func compute(_ samples: [Sample], scale: Double = 1) -> Double? {
        let assessed = samples.filter { $0.students > 0 && $0.denominator > 0 }
        let p = Double(assessed.reduce(0) { $0 + $1.students })
        let num = assessed.reduce(0.0) { $0 + $1.numerator }
        let den = assessed.reduce(0.0) { $0 + $1.denominator }
        guard p > 0, den > 0 else { return nil }
        let mean = scale * num / den
        guard mean > 0 else { return nil }
        var variance = 0.0
        for s in assessed {
            let x = scale * s.numerator / s.denominator
            variance += Double(s.students) / p * (x - mean) * (x - mean)
        }
        return variance.squareRoot() / mean
    }
}
