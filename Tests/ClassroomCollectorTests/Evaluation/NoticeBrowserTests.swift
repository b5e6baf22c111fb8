import ClassroomCore
import ClassroomReports
import ClassroomTestSupport
import Foundation
import Testing

@testable import ClassroomCollector

/// The weekly notice in headless Chromium against the real `classroom-collector serve`: printed on
/// A4 nothing is wider than the page (print media at 180 mm, the width inside 15 mm margins, even
/// with a long unbroken excuse), it prints to a PDF, both languages render, and
/// `classroomctl spotcheck notice` gives the same figures as JSON, CSV and HTML (and `classroomctl
/// observation` answers).
/// Screenshot: `notice/notice-zh.png` under the test output. Heavy (Chromium, two processes).
@Suite(.serialized) struct NoticeBrowserTests {
    static let overflow = """
        (() => {
          const width = document.documentElement.clientWidth;
          const bad = [];
          document.querySelectorAll('#notice, #notice *').forEach(e => {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) bad.push(e.tagName + (e.id ? '#' + e.id : ''));
          });
          return JSON.stringify({width, scroll: document.documentElement.scrollWidth, bad: bad.slice(0, 10),
            notice: Math.round(document.querySelector('#notice').getBoundingClientRect().width)});
        })()
        """

    @Test func theNoticeFitsA4InChromiumAndTheCLIAgrees() async throws {
        let dir = try TestProcess.temporaryDirectory("notice-browser")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "collector.sqlite").path
        let store = try CollectorSQLiteStore(path: path)
        try await store.migrate()
        _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: NoticeFixture.audit)
        let longReason = "外出教研" + String(repeating: "W", count: 160)
        try await NoticeFixture.populate(store, now: collectorNow(), excuse: longReason)
        let collector = try await RunningCollector.start(in: dir, database: "sqlite:" + path)
        defer { collector.stop() }

        let shots = try TestOutput.directory("notice")
        let notice = collector.base + "/spotchecks/\(NoticeFixture.week)/notice"
        let steps: [BrowserStep] = [
            .open(collector.base + "/login"), .fill("#token", collector.adminToken), .submit("#login-token"),
            .open(notice + "?lang=zh-CN"), .text("#notice h1"), .printed(Self.overflow),
            .screenshot(shots.appending(path: "notice-zh.png")), .pdf(shots.appending(path: "notice-zh.pdf")),
            .open(notice + "?lang=en"), .text("#notice h1"), .printed(Self.overflow),
            .screenshot(shots.appending(path: "notice-en.png")),
        ]
        let run = try await ConsoleBrowser().run(steps)
        #expect(run.consoleErrors.isEmpty, "\(run.consoleErrors)")
        #expect(run.failedRequests.isEmpty, "\(run.failedRequests)")
        #expect(run.errorResponses.isEmpty, "\(run.errorResponses)")
        #expect(run.string(4) == "关于2026年第48周随机点课直播情况的通报")
        #expect(run.string(9) == "Notice on the random live-lesson spot-check, week 48 of 2026")
        for index in [5, 10] {
            let fit = try #require(
                try JSONSerialization.jsonObject(with: Data((run.string(index) ?? "{}").utf8)) as? [String: Any])
            #expect(fit["width"] as? Int == 680, "\(fit)")
            #expect((fit["scroll"] as? Int ?? 9999) <= 680, "\(fit)")
            #expect((fit["bad"] as? [String])?.isEmpty == true, "\(fit)")
            #expect((fit["notice"] as? Int ?? 0) > 600, "the notice uses the page: \(fit)")
        }
        #expect((run.results[7] as? Int ?? 0) > 10_000)
        #expect(try Data(contentsOf: shots.appending(path: "notice-zh.png")).count > 20_000)

        // classroomctl: JSON equal to the API's, CSV for Excel, the same HTML document.
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": collector.adminToken]
        let base = ["spotcheck", "notice", "--week", NoticeFixture.week, "--collector", collector.base]
        let json = try TestProcess.run(ctl, base + ["--format", "json"], environment: env)
        #expect(json.status == 0, "\(json.stderr)")
        let parsed = try JSONDecoder().decode(SpotCheckNotice.self, from: Data(json.stdout.utf8))
        #expect(parsed.totals == NoticeTotals(called: 4, conducted: 2, notConducted: 1, excused: 1, pending: 0, schools: 2))
        let results = try TestProcess.run(
            ctl, ["spotcheck", "results", "--week", NoticeFixture.week, "--collector", collector.base, "--format", "json"],
            environment: env)
        let rows =
            (try JSONSerialization.jsonObject(with: Data(results.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]]
        #expect(rows?.count == parsed.schools.flatMap(\.lessons).count)
        let csvFile = dir.appending(path: "notice.csv")
        let csv = try TestProcess.run(ctl, base + ["--format", "csv", "--out", csvFile.path], environment: env)
        #expect(csv.status == 0, "\(csv.stderr)")
        let bytes = try [UInt8](Data(contentsOf: csvFile))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes, as: UTF8.self).contains("\r\n"))
        let html = try TestProcess.run(ctl, base + ["--format", "html", "--lang", "en"], environment: env)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("week 48 of 2026"))
        let bad = try TestProcess.run(
            ctl, ["spotcheck", "notice", "--week", "W48", "--collector", collector.base], environment: env)
        #expect(bad.status != 0 && bad.stderr.contains("week"))

        // classroomctl observation: the collector's quota report (no principals in this registry).
        let quotas = try TestProcess.run(
            ctl, ["observation", "--week", "2026-W48", "--json", "--collector", collector.base], environment: env)
        #expect(quotas.status == 0, "\(quotas.stderr)")
        let report = try JSONDecoder().decode(ObservationQuotaReport.self, from: Data(quotas.stdout.utf8))
        #expect(report.coverage.schools == 2 && report.principals.isEmpty && report.weekStart == "2026-11-23")
        let table = try TestProcess.run(
            ctl, ["observation", "--week", "2026-W48", "--collector", collector.base], environment: env)
        #expect(table.stdout.contains("0/2 schools observed by the county"), "\(table.stdout)\(table.stderr)")
    }
}
