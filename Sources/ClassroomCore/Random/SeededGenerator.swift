/// xoshiro256** seeded through SplitMix64: a fast, deterministic generator for synthetic data.
///
/// - Important: ``init(seed:)`` expands a 64-bit seed through SplitMix64 (sample data, simulations);
///   the spot-check draw sets the full 256-bit state from a SHA-256 seed with ``init(state:)`` — see
///   docs/spotcheck-draw.md, which pins both down so that anyone can re-run a draw.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// Sets the four state words directly (s0, s1, s2, s3). An all-zero state would only ever return
    /// zero, so it is replaced by (1, 0, 0, 0).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        s = state == (0, 0, 0, 0) ? (1, 0, 0, 0) : state
    }

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }
}
