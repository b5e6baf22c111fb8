/// Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base·2ⁿ)].
public struct Backoff: Sendable {
    public var base: Double
    public var cap: Double
    public private(set) var attempt = 0

    public init(base: Double = 1, cap: Double = 300) {
        self.base = base
        self.cap = cap
    }

    /// The delay before the next retry (seconds), and one more failed attempt counted.
    public mutating func next(using rng: inout some RandomNumberGenerator) -> Double {
        let ceiling = min(cap, base * Double(1 << min(attempt, 30)))
        attempt += 1
        return Double.random(in: 0...ceiling, using: &rng)
    }

    /// A success: the next failure starts from `base` again.
    public mutating func reset() { attempt = 0 }
}
