/// A token bucket on a millisecond clock: `burst` tokens, refilled at `ratePerSecond`; each request
/// takes one. A value with no I/O and no clock of its own, so every rule is tested directly.
struct TokenBucket: Sendable, Hashable {
    let ratePerSecond: Double
    let burst: Double
    private(set) var tokens: Double
    private(set) var updatedAt: Int64

    /// A full bucket at `now`.
    init(ratePerSecond: Double, burst: Double, now: Int64) {
        self.ratePerSecond = max(ratePerSecond, 0)
        self.burst = max(burst, 1)
        self.tokens = self.burst
        self.updatedAt = now
    }

    enum Decision: Sendable, Hashable {
        case allowed
        /// Refused; a token is back after this many whole seconds (at least 1).
        case refused(retryAfterSeconds: Int64)
    }

    /// Takes one token at `now` if there is one.
    mutating func take(now: Int64) -> Decision {
        // A clock that went back refills nothing; the difference of two collector times cannot overflow.
        if now > updatedAt {
            let elapsed = Double(now - updatedAt) / 1000
            tokens = min(burst, tokens + elapsed * ratePerSecond)
            updatedAt = now
        }
        if tokens >= 1 {
            tokens -= 1
            return .allowed
        }
        guard ratePerSecond > 0 else { return .refused(retryAfterSeconds: 3600) }
        let wait = ((1 - tokens) / ratePerSecond).rounded(.up)
        return .refused(retryAfterSeconds: Int64(min(max(wait, 1), 3600)))
    }
}
