import ClassroomAgent
import Logging
import Testing

/// journald priorities; the reconnect backoff. (sd_notify itself is tested in SystemdNotifyTests.)
@Suite struct JournalLogHandlerTests {
    @Test func journaldPrioritiesFollowSyslog() {
        #expect(JournalLogHandler.priority(.critical) == 2)
        #expect(JournalLogHandler.priority(.error) == 3)
        #expect(JournalLogHandler.priority(.warning) == 4)
        #expect(JournalLogHandler.priority(.notice) == 5)
        #expect(JournalLogHandler.priority(.info) == 6)
        #expect(JournalLogHandler.priority(.debug) == 7)
    }

    @Test func backoffGrowsToItsCapAndResets() {
        var rng = SystemRandomNumberGenerator()
        var backoff = Backoff(base: 1, cap: 8)
        var ceilings: [Double] = []
        for _ in 0..<10 { ceilings.append(backoff.next(using: &rng)) }
        #expect(ceilings.allSatisfy { $0 >= 0 && $0 <= 8 })
        #expect(backoff.attempt == 10)
        backoff.reset()
        #expect(backoff.attempt == 0)
        #expect(backoff.next(using: &rng) <= 1)
    }
}
