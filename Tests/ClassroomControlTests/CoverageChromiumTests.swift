import ClassroomTestSupport
import Foundation
import Testing

/// The HTML coverage report rendered by headless Chromium (installed by `scripts/install-deps.sh test`
/// with `fonts-noto-cjk`): it must load, keep its charts and show the county's figures.
@Suite struct CoverageChromiumTests {
    static func chromium() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let url = URL(filePath: String(dir)).appending(path: name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        throw TestSupportError("chromium not found on PATH: run 'bash scripts/install-deps.sh test'")
    }

    @Test func htmlReportRendersWithItsKeyFigures() throws {
        let dir = try TestProcess.temporaryDirectory("chromium")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ctl = try TestProcess.product("classroomctl")
        let registry = CoverageCLITests.repository.appending(path: "Deploy/examples/county").path
        let common = [
            "coverage", "report", "--registry", registry, "--profiles-dir", CoverageCLITests.profiles, "--profile", "luxi-2025",
        ]
        let html = dir.appending(path: "report.html")
        let made = try TestProcess.run(ctl, common + ["--format", "html", "--out", html.path])
        #expect(made.status == 0, "\(made.stderr)")
        let json = try TestProcess.run(ctl, common + ["--format", "json"])
        let report = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let county = try #require((report["county"] as? [String: Any])?["indicators"] as? [[String: Any]])
        let digital = try #require(
            county.first { $0["key"] as? String == "digital_classroom_coverage" && $0["stage"] as? String == "primary" })
        let figure = String(format: "%.1f%%", try #require(digital["value"] as? Double) * 100)

        let browser = try Self.chromium()
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(dir.appending(path: "profile").path)"]
        let dom = try TestProcess.run(browser, flags + ["--dump-dom", html.absoluteString])
        #expect(dom.status == 0, "\(dom.stderr)")
        #expect(dom.stdout.contains("样例县 教育信息化覆盖情况报告"))
        #expect(dom.stdout.contains("<svg"))
        #expect(dom.stdout.contains(figure), "county digital coverage \(figure) not in the rendered page")

        let png = dir.appending(path: "report.png")
        let shot = try TestProcess.run(
            browser, flags + ["--hide-scrollbars", "--window-size=900,1600", "--screenshot=\(png.path)", html.absoluteString])
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = try [UInt8](Data(contentsOf: png))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(bytes.count > 20_000, "a blank page would be a few kilobytes")
    }
}
