import Testing

@testable import ClassroomAgent

/// `Retry-After` from a collector (or anything in between) is clamped to 0…3600 s or refused, never trapped on.
@Suite struct RetryAfterTests {
    /// 2026-12-04T00:00:00Z in milliseconds.
    static let now: Int64 = 1_796_342_400_000

    @Test(
        arguments: [
            ("5", 5.0), ("0", 0), ("  12  ", 12), ("2.5", 2.5), ("-5", 0), ("-inf", 0), ("inf", 3600), ("Infinity", 3600),
            ("1e300", 3600), ("1e999", 3600), ("99999999999", 3600), ("3601", 3600), ("3600", 3600),
            ("Fri, 04 Dec 2026 00:00:30 GMT", 30), ("Fri, 04 Dec 2026 05:00:00 GMT", 3600),
            ("Thu, 01 Jan 1970 00:00:00 GMT", 0), ("Sun, 06 Nov 1994 08:49:37 GMT", 0),
        ] as [(String, Double)])
    func readableValuesAreClamped(header: String, seconds: Double) {
        #expect(RetryAfter.seconds(header, now: Self.now) == seconds)
    }

    @Test(arguments: [
        "NaN", "nan", "-nan", "garbage", "", "   ", "5 seconds", "0x10", "Fri, 32 Dec 2026 00:00:00 GMT",
        "Fri, 04 Foo 2026 00:00:00 GMT", "Fri, 04 Dec 2026 25:00:00 GMT", "Fri, 04 Dec 99999 00:00:00 GMT",
        "Fri, 04 Dec 2026 00:00:00 UTC", String(repeating: "9", count: 5000),
    ])
    func unreadableValuesFallBackToTheBackoff(header: String) {
        #expect(RetryAfter.seconds(header, now: Self.now) == nil)
    }

    @Test func absentHeaderIsNil() {
        #expect(RetryAfter.seconds(nil, now: Self.now) == nil)
    }

    @Test func theDateFormMatchesKnownInstants() {
        #expect(HTTPDate.millis("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777_000)
        #expect(HTTPDate.millis("Thu, 29 Feb 2024 12:00:00 GMT") == 1_709_208_000_000)
        #expect(HTTPDate.millis("Fri, 04 Dec 2026 00:00:00 GMT") == Self.now)
    }

    @Test(
        arguments: [
            (Double.nan, Int64(0)), (-1, 0), (-Double.infinity, 0), (Double.infinity, 86_400_000), (1e300, 86_400_000),
            (0.25, 250), (3600, 3_600_000),
        ] as [(Double, Int64)])
    func sleepingNeverTraps(seconds: Double, millis: Int64) {
        #expect(sleepMillis(seconds) == millis)
    }
}
