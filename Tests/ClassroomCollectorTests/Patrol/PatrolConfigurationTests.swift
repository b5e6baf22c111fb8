import Testing

@testable import ClassroomCollector

/// Where patrol orders push to, and the stop rule as a value.
@Suite("Patrol configuration and stop rule")
struct PatrolConfigurationTests {
    @Test(
        "the patrol application defaults to the spot-check ingest with its last segment replaced",
        arguments: [
            ("rtmp://media.example/live", "rtmp://media.example/patrol"),
            ("rtmp://media.example:1935/live/", "rtmp://media.example:1935/patrol"),
            ("rtmp://media.example/apps/live", "rtmp://media.example/apps/patrol"),
            ("rtmp://media.example", "rtmp://media.example/patrol"),
        ])
    func patrolIngest(ingest: String, expected: String) {
        var c = SpotCheckConfiguration(ingestURL: ingest)
        #expect(c.patrolIngest == expected)
        c.patrolIngestURL = "rtmp://media.example/live"
        #expect(c.patrolIngest == "rtmp://media.example/live", "a bureau that records patrols points it at live")
    }

    @Test("lesson end, then the spot-check, then the start-up grace, then the viewers")
    func stopRule() {
        let rule = PatrolStopRule(startupGraceMillis: 60_000)
        let p = PatrolRecord(orderID: "p", schoolID: "S1", roomID: "R1", openedBy: "u", openedAt: 1_000_000, lessonEnd: 2_000_000)
        #expect(rule.decide(p, now: 1_030_000, viewers: 0, spotCheckActive: false) == .keep)
        #expect(rule.decide(p, now: 1_030_000, viewers: 0, spotCheckActive: true) == .end(.spotCheck, sendStop: false))
        #expect(rule.decide(p, now: 1_060_000, viewers: 1, spotCheckActive: false) == .keep)
        #expect(rule.decide(p, now: 1_060_000, viewers: 0, spotCheckActive: false) == .end(.noViewers, sendStop: true))
        #expect(rule.decide(p, now: 2_000_000, viewers: 3, spotCheckActive: false) == .end(.lessonOver, sendStop: false))
    }
}
