import ClassroomCore
import ClassroomTestSupport
import Foundation
import Testing

/// A prefecture registry through the real executable: `registry sample --counties`, `registry check`,
/// and `coverage report` with county rows, the prefecture total and `--county`.
@Suite struct PrefectureCLITests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let profiles = repository.appending(path: "Deploy/profiles").path

    func classroomctl(_ args: [String]) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomctl"), args)
    }

    /// 12 schools in two counties (昭阳区, 鲁甸县: the first two of Zhaotong's).
    func prefecture() throws -> URL {
        let dir = try TestProcess.temporaryDirectory("prefecture")
        let out = try classroomctl(["registry", "sample", "--out", dir.path, "--schools", "12", "--counties", "2", "--seed", "3"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("counties         2: 昭阳区 6, 鲁甸县 6"), "\(out.stdout)")
        return dir
    }

    func report(_ dir: URL, _ extra: [String]) throws -> TestProcess.Output {
        try classroomctl(
            [
                "coverage", "report", "--registry", dir.path, "--profiles-dir", Self.profiles, "--profile", "zhaotong-2025",
                "--at", "2026-11-25",
            ] + extra)
    }

    @Test func sampleWritesTheCountyAndTownshipColumnsAndCheckCountsCounties() throws {
        let dir = try prefecture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: dir.appending(path: "schools.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\n")
        #expect(lines[0].hasPrefix("school_id,name,county,township,"))
        #expect(lines[1].split(separator: ",")[2] == "昭阳区")
        #expect(lines[12].split(separator: ",")[2] == "鲁甸县")
        let check = try classroomctl(["registry", "check", dir.path, "--json"])
        #expect(check.status == 0, "\(check.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["counties"] as? [String: Int] == ["昭阳区": 6, "鲁甸县": 6])
    }

    @Test func aSchoolWithoutACountyIsAProblemWithFileAndLine() throws {
        let dir = try prefecture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appending(path: "schools.csv")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var fields = lines[2].components(separatedBy: ",")
        fields[2] = ""
        lines[2] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let check = try classroomctl(["registry", "check", dir.path])
        #expect(check.status == 1)
        #expect(
            check.stderr.contains("schools.csv:3: county:") || check.stdout.contains("schools.csv:3: county:"), "\(check.stderr)")
    }

    @Test func jsonHasCountyRowsAndAPrefectureTotalWithoutCV() throws {
        let dir = try prefecture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try report(dir, ["--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let counties = try #require(json["counties"] as? [[String: Any]])
        #expect(counties.map { $0["name"] as? String } == ["昭阳区", "鲁甸县"])
        let total = try #require(json["prefecture"] as? [String: Any])
        #expect(total["name"] as? String == "昭通市")
        #expect(total["counties"] as? Int == 2)
        #expect(total["schools"] as? Int == 12)
        func multimedia(_ c: [String: Any]) -> [String: Any]? {
            (c["indicators"] as? [[String: Any]])?.first {
                $0["key"] as? String == "multimedia_classrooms_per_100_students" && $0["stage"] as? String == "primary"
            }
        }
        let pm = try #require(multimedia(total))
        #expect(pm["cv"] is NSNull)
        // The total's numerator is the sum of the counties'; each county has its own CV.
        let parts = try counties.map { try #require(multimedia($0)) }
        #expect(parts.reduce(0.0) { $0 + ($1["numerator"] as! Double) } == pm["numerator"] as? Double)
        #expect(parts.allSatisfy { $0["cv"] is Double })
        let schools = try #require(json["schools"] as? [[String: Any]])
        #expect(Set(schools.compactMap { $0["county"] as? String }) == ["昭阳区", "鲁甸县"])
    }

    @Test func countyFilterGivesThatCountysReport() throws {
        let dir = try prefecture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try report(dir, ["--format", "json", "--county", "鲁甸县"])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(json["counties"] == nil)
        #expect(json["prefecture"] == nil)
        #expect((json["county"] as? [String: Any])?["name"] as? String == "鲁甸县")
        let schools = try #require(json["schools"] as? [[String: Any]])
        #expect(schools.count == 6)
        #expect(schools.allSatisfy { $0["county"] as? String == "鲁甸县" })
        let unknown = try report(dir, ["--county", "威信县"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--county '威信县': no school of the registry is in it (counties: 昭阳区, 鲁甸县)"))
    }

    @Test func tableAndPrintableReportShowCountyRows() throws {
        let dir = try prefecture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let table = try report(dir, [])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix("昭通市 2025 年教育数字化目标 — 昭通市"))
        #expect(table.stdout.contains("各县（2 个）"))
        #expect(table.stdout.contains("全市合计不计算差异系数"))
        let html = try report(dir, ["--format", "html", "--lang", "en"])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.contains("1. Prefecture total and counties"))
        #expect(html.stdout.contains("<table class=\"counties\">"))
        #expect(html.stdout.contains("<td class=\"\">鲁甸县</td>"))
        let csv = try report(dir, ["--format", "csv"])
        #expect(csv.stdout.contains("\n县,鲁甸县,"))
        #expect(csv.stdout.contains("\n全市,昭通市,"))
    }
}
