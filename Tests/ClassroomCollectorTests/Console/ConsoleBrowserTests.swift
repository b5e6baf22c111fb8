import ClassroomTestSupport
import Foundation
import Testing

/// The console in headless Chromium against the real `classroom-collector serve`.
@Suite(.serialized) struct ConsoleBrowserTests {
    @Test func signInWithATokenShowsTheNavigationAndSignOutEndsTheSession() async throws {
        let dir = try TestProcess.temporaryDirectory("console-browser")
        defer { try? FileManager.default.removeItem(at: dir) }
        let collector = try await RunningCollector.start(in: dir)
        defer { collector.stop() }
        let shots = try TestOutput.directory("console")
        let browser = try ConsoleBrowser()
        let report = try await browser.run([
            .open(collector.base + "/"),  // 0: redirected to the sign-in page
            .fill("#token", collector.adminToken),
            .submit("#login-token"),  // 2: back at /
            .texts(".site-nav a"),  // 3
            .cookies,  // 4
            .submit("form.sign-out"),  // 5
            .open(collector.base + "/"),  // 6: signed out: the sign-in page again
        ])
        #expect(report.string(0)?.contains("/login?next=/") == true, "\(report.results)")
        #expect(report.string(2) == collector.base + "/")
        #expect(report.strings(3) == ["概览", "学校", "设备", "告警", "点课", "录像", "巡课", "听课", "管理"])
        let session = try #require(report.cookies(4).first { $0["name"] as? String == "cf_session" })
        #expect(session["httpOnly"] as? Bool == true)
        #expect(session["sameSite"] as? String == "Strict")
        #expect(report.string(5)?.contains("/login?reason=signed_out") == true)
        #expect(report.string(6)?.contains("/login?next=/") == true)
        #expect(report.consoleErrors.isEmpty, "\(report.consoleErrors)")
        #expect(report.failedRequests.isEmpty, "\(report.failedRequests)")
        _ = shots
    }
}
