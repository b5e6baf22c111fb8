/// The random choices of the spot-check draw — bounded integers and the shuffle — on xoshiro256**
/// (``SeededGenerator``) whose 256-bit state is the SHA-256 seed.
///
/// - Important: both methods are written out here rather than taken from the standard library
///   (`Int.random(in:using:)`, `shuffle(using:)`), so that a new Swift release can never change a
///   draw. docs/spotcheck-draw.md describes them for re-implementation in another language.
public struct SpotCheckRandom: Sendable {
    private var generator: SeededGenerator
    /// How many 64-bit outputs have been taken from the generator so far.
    public private(set) var outputsUsed = 0

    /// Seeds xoshiro256** with the 32 seed bytes read as four big-endian 64-bit words s0…s3.
    public init(seed: [UInt8]) {
        precondition(seed.count == 32, "a spot-check seed is 32 bytes (SHA-256)")
        func word(_ k: Int) -> UInt64 {
            seed[(8 * k)..<(8 * k + 8)].reduce(0) { $0 << 8 | UInt64($1) }
        }
        generator = SeededGenerator(state: (word(0), word(1), word(2), word(3)))
    }

    /// The next raw 64-bit output of xoshiro256**.
    public mutating func next() -> UInt64 {
        outputsUsed += 1
        return generator.next()
    }

    /// A uniform integer in `0 ..< n` (n ≥ 1) by Lemire's multiply-and-reject method: the high
    /// 64 bits of the 128-bit product `x · n`, drawing again while the low 64 bits are below
    /// `2^64 mod n`. Always takes at least one output, also for n = 1.
    public mutating func bounded(_ n: Int) -> Int {
        precondition(n >= 1, "bounded(n) needs n ≥ 1")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// Shuffles in place, Fisher–Yates from the front: for i = 0 … n−2, swap element i with
    /// element i + bounded(n − i). Takes n − 1 draws (none for n < 2); element i is final after step i.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        let n = elements.count
        guard n > 1 else { return }
        for i in 0..<(n - 1) {
            let j = i + bounded(n - i)
            if j != i { elements.swapAt(i, j) }
        }
    }
}
