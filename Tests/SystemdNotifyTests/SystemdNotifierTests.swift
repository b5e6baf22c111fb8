import ClassroomTestSupport
import Foundation
import SystemdNotify
import Testing

/// sd_notify datagrams on real unix sockets (a file path and an abstract name); the unset case; the
/// watchdog interval.
@Suite struct SystemdNotifierTests {
    @Test func datagramsReachASocketFile() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "notify-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let receiver = try NotifyReceiver(address: dir.appending(path: "notify.sock").path)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address]))
        #expect(notifier.socketPath == receiver.address)
        notifier.ready(status: "queue 0 events")
        #expect(receiver.receive() == "READY=1\nSTATUS=queue 0 events")
        notifier.ready()
        #expect(receiver.receive() == "READY=1")
        notifier.watchdog()
        #expect(receiver.receive() == "WATCHDOG=1")
        notifier.reloading()
        let reloading = try #require(receiver.receive())
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(Int64(reloading.split(separator: "=").last ?? "").map { $0 > 0 } == true)
        notifier.status("draining")
        #expect(receiver.receive() == "STATUS=draining")
        notifier.stopping()
        #expect(receiver.receive() == "STOPPING=1")
    }

    @Test func datagramsReachAnAbstractSocket() throws {
        let name = "@classroomfleet-notify-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let receiver = try NotifyReceiver(address: name)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": name]))
        #expect(notifier.notify("READY=1\nSTATUS=abstract"))
        #expect(receiver.receive() == "READY=1\nSTATUS=abstract")
        notifier.stopping()
        #expect(receiver.receive() == "STOPPING=1")
        // The same name without '@' is a (missing) file, not the abstract socket.
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": String(name.dropFirst())])?.notify("READY=1") == false)
    }

    @Test func withoutSystemdThereIsNoNotifier() {
        #expect(SystemdNotifier(environment: [:]) == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"]) == nil)
    }

    @Test func sendFailuresAreReturned() throws {
        let missing = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"]))
        #expect(missing.notify("READY=1") == false)
        let tooLong = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]))
        #expect(tooLong.notify("READY=1") == false)
    }

    @Test func watchdogIsHalfTheTimeoutForThisProcess() {
        func interval(_ extra: [String: String]) -> Duration? {
            SystemdNotifier(environment: extra.merging(["NOTIFY_SOCKET": "/run/notify"]) { $1 })?.watchdogInterval
        }
        #expect(interval(["WATCHDOG_USEC": "30000000"]) == .seconds(15))
        #expect(interval(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid())"]) == .seconds(15))
        #expect(interval(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]) == nil)
        #expect(interval(["WATCHDOG_USEC": "0"]) == nil)
        #expect(interval(["WATCHDOG_USEC": "junk"]) == nil)
        #expect(interval([:]) == nil)
    }
}
