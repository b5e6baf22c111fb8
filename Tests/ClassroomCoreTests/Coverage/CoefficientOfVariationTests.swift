import ClassroomCore
import Testing

@Suite("差异系数 (coefficient of variation)")
struct CoefficientOfVariationTests {
    typealias S = CoefficientOfVariation.Sample

    @Test func textbookCase() throws {
        // A: 100 students, 2 rooms (2.0 per 100); B: 300 students, 9 rooms (3.0).
        // X̄ = 100 × 11 / 400 = 2.75; S = √(0.25 × 0.75² + 0.75 × 0.25²) = √0.1875; CV = S / 2.75.
        let cv = try #require(
            CoefficientOfVariation.compute(
                [S(students: 100, numerator: 2, denominator: 100), S(students: 300, numerator: 9, denominator: 300)], scale: 100))
        #expect(abs(cv - 0.15745916432444337) < 1e-12)
    }

    @Test func meanIsFromTotalsNotTheAverageOfSchools() throws {
        // Unweighted mean of 0 and 1 would be 0.5; from totals it is 1/10 and the weights are 9:1.
        let cv = try #require(
            CoefficientOfVariation.compute([
                S(students: 900, numerator: 0, denominator: 9), S(students: 100, numerator: 1, denominator: 1),
            ]))
        let mean = 0.1
        let s = (0.9 * mean * mean + 0.1 * (1 - mean) * (1 - mean)).squareRoot()
        #expect(abs(cv - s / mean) < 1e-12)
    }

    @Test func degenerateCases() {
        #expect(CoefficientOfVariation.compute([S(students: 120, numerator: 3, denominator: 120)], scale: 100) == 0)
        #expect(
            CoefficientOfVariation.compute(
                [S(students: 100, numerator: 2, denominator: 100), S(students: 200, numerator: 4, denominator: 200)], scale: 100)
                == 0)
        // Zero mean: undefined, not a division by zero.
        #expect(CoefficientOfVariation.compute([S(students: 100, numerator: 0, denominator: 100)]) == nil)
        #expect(CoefficientOfVariation.compute([]) == nil)
        #expect(CoefficientOfVariation.compute([S(students: 0, numerator: 1, denominator: 0)]) == nil)
    }
}
