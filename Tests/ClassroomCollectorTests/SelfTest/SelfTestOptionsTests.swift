import ClassroomTestSupport
import Foundation
import Testing

/// `classroom-collector serve` refuses a self-test setting it cannot use, naming the option, before it
/// starts anything.
@Suite("classroom-collector serve: self-test options")
struct SelfTestOptionsTests {
    @Test(
        "a bad --selftest-* value stops serve with a message naming the option",
        arguments: [
            (["--selftest-window", "12:10"], "--selftest-window: must be HH:MM-HH:MM"),
            (["--selftest-window", "13:30-12:10"], "--selftest-window: '13:30-12:10' must start before it ends"),
            (["--selftest-days", "fri-mon"], "--selftest-days: must be weekdays"),
            (["--selftest-seconds", "5"], "--selftest-seconds: must be 10…600 seconds"),
            (["--selftest-attempts", "0"], "--selftest-attempts: must be 1…5 self-tests a week, not 0"),
            (["--selftest-attempts", "9"], "--selftest-attempts: must be 1…5 self-tests a week, not 9"),
            (["--selftest-ingest", "http://media/selftest"], "--selftest-ingest must be an rtmp:// URL"),
        ])
    func refused(arguments: [String], message: String) throws {
        let dir = try TestProcess.temporaryDirectory("selftest-options")
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = try TestProcess.product("classroom-collector")
        let db = "sqlite:" + dir.appending(path: "c.sqlite").path
        let run = try TestProcess.run(
            binary, ["serve", "--listen", "127.0.0.1:0", "--db", db] + arguments, timeout: .seconds(60))
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
