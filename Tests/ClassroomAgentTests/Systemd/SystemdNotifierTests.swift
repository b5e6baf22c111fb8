import ClassroomAgent
import ClassroomTestSupport
import Foundation
import Logging
import Testing

/// sd_notify datagrams on a real unix socket; the watchdog interval; journald priorities.
@Suite struct SystemdNotifierTests {
    @Test func datagramsReachTheSocket() throws {
        let dir = try TestProcess.temporaryDirectory("notify")
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = try NotifySocket(directory: dir)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path])
        notifier.ready(status: "queue 0 events")
        #expect(socket.receive() == "READY=1\nSTATUS=queue 0 events")
        notifier.watchdog()
        #expect(socket.receive() == "WATCHDOG=1")
        notifier.reloading()
        #expect(socket.receive()?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true)
        notifier.stopping()
        #expect(socket.receive() == "STOPPING=1")
    }

    @Test func withoutSystemdNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socketPath == nil)
        #expect(notifier.notify("READY=1") == false)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/sock"]).notify("READY=1") == false)
    }

    @Test func watchdogIsHalfTheTimeout() {
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"]).watchdogInterval == .seconds(15))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "junk"]).watchdogInterval == nil)
    }

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
