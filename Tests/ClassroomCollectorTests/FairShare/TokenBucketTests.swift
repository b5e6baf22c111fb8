import Testing

@testable import ClassroomCollector

@Suite("Token bucket")
struct TokenBucketTests {
    @Test("a full bucket allows its burst, then refuses with the seconds until a token is back")
    func burstThenRefuse() {
        var bucket = TokenBucket(ratePerSecond: 0.5, burst: 3, now: 1_000)
        for _ in 0..<3 { #expect(bucket.take(now: 1_000) == .allowed) }
        #expect(bucket.take(now: 1_000) == .refused(retryAfterSeconds: 2))
        // One second later half a token is back: still refused, one more second to wait.
        #expect(bucket.take(now: 2_000) == .refused(retryAfterSeconds: 1))
        #expect(bucket.take(now: 3_000) == .allowed)
        #expect(bucket.take(now: 3_000) == .refused(retryAfterSeconds: 2))
    }

    @Test("refills to the burst, never above; a clock going back refills nothing")
    func refillCappedAndMonotonic() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 2, now: 0)
        #expect(bucket.take(now: 0) == .allowed)
        #expect(bucket.take(now: 0) == .allowed)
        #expect(bucket.take(now: -5_000_000) == .refused(retryAfterSeconds: 1))
        // An hour later: only the burst is there.
        #expect(bucket.take(now: 3_600_000) == .allowed)
        #expect(bucket.take(now: 3_600_000) == .allowed)
        #expect(bucket.take(now: 3_600_000) == .refused(retryAfterSeconds: 1))
    }

    @Test("a rate of zero refuses for an hour at a time once the burst is spent")
    func zeroRate() {
        var bucket = TokenBucket(ratePerSecond: 0, burst: 1, now: 0)
        #expect(bucket.take(now: 0) == .allowed)
        #expect(bucket.take(now: 10_000_000) == .refused(retryAfterSeconds: 3600))
    }
}
