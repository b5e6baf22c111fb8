import Testing

@testable import ClassroomCore

@Suite struct SpotCheckRandomTests {
    static let seed: [UInt8] = Array(repeating: 7, count: 32)

    @Test func seedBytesAreReadAsFourBigEndianWords() {
        let seed: [UInt8] =
            [0, 0, 0, 0, 0, 0, 0, 1] + [0, 0, 0, 0, 0, 0, 0, 2] + [0, 0, 0, 0, 0, 0, 0, 3] + [0, 0, 0, 0, 0, 0, 0, 4]
        var random = SpotCheckRandom(seed: seed)
        #expect(random.next() == 11520)
        #expect(random.outputsUsed == 1)
        // An all-zero seed does not leave the generator stuck at zero.
        var zero = SpotCheckRandom(seed: Array(repeating: 0, count: 32))
        #expect((0..<4).map { _ in zero.next() }.contains { $0 != 0 })
    }

    @Test func boundedStaysInRangeTakesAnOutputEvenForOneAndCoversTheRange() {
        var random = SpotCheckRandom(seed: Self.seed)
        #expect(random.bounded(1) == 0)
        #expect(random.outputsUsed == 1)
        var seen = Array(repeating: 0, count: 7)
        for _ in 0..<7000 { seen[random.bounded(7)] += 1 }
        #expect(seen.allSatisfy { $0 > 800 && $0 < 1200 }, "\(seen)")
        let big = Int(UInt32.max) * 3
        for _ in 0..<1000 { #expect((0..<big).contains(random.bounded(big))) }
    }

    @Test func boundedRejectsTheBiasedLowProducts() {
        // n = ⌊2^64 / 3⌋ + 1: 2^64 mod n ≈ n, so about a third of the outputs fall in the biased
        // zone and are drawn again; 3000 values then take about 4500 outputs.
        let n = 6_148_914_691_236_517_206
        var random = SpotCheckRandom(seed: Self.seed)
        for _ in 0..<3000 { #expect((0..<n).contains(random.bounded(n))) }
        #expect(random.outputsUsed > 4200 && random.outputsUsed < 4800, "\(random.outputsUsed)")
        // A small bound almost never rejects.
        var small = SpotCheckRandom(seed: Self.seed)
        for _ in 0..<3000 { _ = small.bounded(10) }
        #expect(small.outputsUsed == 3000)
    }

    @Test func shuffleIsAPermutationAndTakesNMinusOneDraws() {
        var random = SpotCheckRandom(seed: Self.seed)
        var a = Array(0..<100)
        random.shuffle(&a)
        #expect(a.sorted() == Array(0..<100))
        #expect(a != Array(0..<100))
        #expect(random.outputsUsed == 99)
        var one = [42]
        random.shuffle(&one)
        #expect(one == [42] && random.outputsUsed == 99)
        // The same seed gives the same permutation.
        var again = SpotCheckRandom(seed: Self.seed)
        var b = Array(0..<100)
        again.shuffle(&b)
        #expect(a == b)
    }
}
