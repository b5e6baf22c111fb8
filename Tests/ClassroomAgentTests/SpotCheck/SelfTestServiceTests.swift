import ClassroomAgent
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

/// The weekly self-test publish (自检推流) in the daemon's spot-check service: it streams and signs its
/// evidence like a spot-check, but the room hears no chime and sees no notice (nobody is called).
@Suite(.serialized) struct SelfTestServiceTests {
    typealias Fixture = SpotCheckServiceTests.Fixture

    /// A notify command that appends its arguments to `notice.txt`, and that file's path.
    static func notifyScript(_ name: String) throws -> (command: String, log: String) {
        let dir = try TestProcess.temporaryDirectory(name)
        let log = dir.appending(path: "notice.txt").path
        let notify = dir.appending(path: "notify.sh").path
        try "#!/bin/sh\nprintf '%s|%s\\n' \"$1\" \"$2\" >> \(log)\n".write(toFile: notify, atomically: true, encoding: .utf8)
        chmod(notify, 0o755)
        return (notify, log)
    }

    static func notices(_ log: String) async throws -> String {
        var text = ""
        for _ in 0..<30 where !text.contains("\n") {
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try await Task.sleep(for: .milliseconds(100))
        }
        return text
    }

    @Test func aSelfTestStreamsWithSignedEvidenceButNoNotice() async throws {
        let (notify, log) = try Self.notifyScript("selftest-notice")
        let f = try Fixture(ffmpeg: "/bin/false", notify: notify)
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        var order = SpotCheckServiceTests.order("selftest-2026-W48-R1")
        order.purpose = .selftest
        #expect(order.isSelfTest && !order.isPatrol)
        #expect(await f.service.start(order, commandID: "c1").status == "started")
        let evidence = try await PatrolServiceTests.evidence(f, count: 1, advancing: 500)
        #expect(evidence.map(\.orderID) == ["selftest-2026-W48-R1"])
        #expect(try await Self.notices(log) == "", "a self-test must not run the notify command")
        #expect(f.service.liveStatus?.purpose == "selftest")
    }

    @Test func theSameServiceAnnouncesASpotCheck() async throws {
        // The control of the test above: with the same notify command a spot-check is announced.
        let (notify, log) = try Self.notifyScript("selftest-control")
        let f = try Fixture(ffmpeg: "/bin/false", notify: notify)
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        #expect(await f.service.start(SpotCheckServiceTests.order("2026-W48-01"), commandID: "c1").status == "started")
        _ = try await PatrolServiceTests.evidence(f, count: 1, advancing: 500)
        #expect(try await Self.notices(log).hasPrefix("课堂直播抽查|"))
    }

    @Test func theSelfTestPurposeRoundTripsAndOldOrdersAreNoSelfTest() throws {
        var order = SpotCheckServiceTests.order("selftest-x")
        order.purpose = .selftest
        let data = try JSONEncoder().encode(order)
        #expect(String(decoding: data, as: UTF8.self).contains("\"purpose\":\"selftest\""))
        #expect(try JSONDecoder().decode(SpotCheckOrderPayload.self, from: data).isSelfTest)
        #expect(!SpotCheckServiceTests.order("2026-W48-02").isSelfTest)
    }
}
