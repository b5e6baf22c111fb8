import ClassroomCore
import ClassroomTestSupport
import Foundation
import Testing

/// `classroomctl coverage report` through the real executable on a generated registry.
@Suite struct CoverageCLITests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let profiles = repository.appending(path: "Deploy/profiles").path

    func classroomctl(_ args: [String], environment: [String: String] = [:]) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomctl"), args, environment: environment)
    }

    /// A generated county of 30 schools, written once per test into a fresh folder.
    func sampleRegistry() throws -> URL {
        let dir = try TestProcess.temporaryDirectory("coverage")
        let out = try classroomctl(["registry", "sample", "--out", dir.path, "--schools", "30", "--seed", "11"])
        #expect(out.status == 0, "\(out.stderr)")
        return dir
    }

    func report(_ registry: URL, _ extra: [String]) throws -> TestProcess.Output {
        try classroomctl(
            ["coverage", "report", "--registry", registry.path, "--profiles-dir", Self.profiles, "--at", "2026-11-25"] + extra)
    }

    @Test func jsonHasTheDocumentedShapeAndCountyTotalsAddUp() throws {
        let dir = try sampleRegistry()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try report(dir, ["--profile", "luxi-2025", "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(json["profile"] as? String == "luxi-2025")
        #expect(json["basis"] as? String == "declared")
        let county = try #require(json["county"] as? [String: Any])
        let indicators = try #require(county["indicators"] as? [[String: Any]])
        for key in ["key", "stage", "value", "target", "met", "cv", "cv_target"] {
            #expect(indicators.allSatisfy { $0.keys.contains(key) }, "county indicator without \(key)")
        }
        let schools = try #require(json["schools"] as? [[String: Any]])
        #expect(schools.count == 30)
        #expect(schools.allSatisfy { $0["school_id"] is String && $0["indicators"] is [Any] && $0["gaps"] is [Any] })
        // The county's digital classrooms are the sum of the schools' (computed from totals).
        func digitalPrimary(_ list: [[String: Any]]) -> [String: Any]? {
            list.first { $0["key"] as? String == "digital_classroom_coverage" && $0["stage"] as? String == "primary" }
        }
        let countyDigital = try #require(digitalPrimary(indicators))
        let sum = schools.compactMap { digitalPrimary($0["indicators"] as! [[String: Any]])?["numerator"] as? Double }.reduce(
            0, +)
        #expect(countyDigital["numerator"] as? Double == sum)
        #expect(countyDigital["target"] as? Double == 1)
        #expect(countyDigital["met"] as? Bool == false)  // the sample county declares digital kits in under half its classes
    }

    @Test func csvIsUTF8WithBOMAndChineseHeaders() throws {
        let dir = try sampleRegistry()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appending(path: "coverage.csv")
        let out = try report(dir, ["--profile", "zhaotong-2024", "--format", "csv", "--out", file.path])
        #expect(out.status == 0, "\(out.stderr)")
        let bytes = try [UInt8](Data(contentsOf: file))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("学校代码,学校名称,乡镇,学段,指标,指标代码,数值,目标,是否达标") == true)
        #expect(lines.contains { $0.hasPrefix("全县,") && $0.contains("标准数字教室覆盖率") && $0.contains(",0.6,") })
        let english = try report(dir, ["--profile", "zhaotong-2024", "--format", "csv", "--lang", "en"])
        #expect(english.stdout.hasPrefix("\u{FEFF}school_id,school,township,stage,indicator"))
    }

    @Test func htmlIsSelfContainedWithChartsInChinese() throws {
        let dir = try sampleRegistry()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try report(dir, ["--profile", "luxi-2025", "--format", "html"])
        #expect(out.status == 0, "\(out.stderr)")
        let html = out.stdout
        #expect(html.contains("<html lang=\"zh-CN\">"))
        #expect(html.contains("<svg"))
        #expect(html.contains("智慧黑板班级覆盖率"))
        #expect(html.contains("需增配清单"))
        for external in ["<script", "<link", " src=", "url("] { #expect(!html.contains(external), "external asset: \(external)") }
        let en = try report(dir, ["--profile", "luxi-2025", "--format", "html", "--lang", "en"])
        #expect(en.stdout.contains("<html lang=\"en\">"))
        #expect(en.stdout.contains("Smart blackboard class coverage"))
    }

    @Test func tableNamesTheProfileAndTheProcurementList() throws {
        let dir = try sampleRegistry()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try report(dir, ["--profile", "national-quality-balance"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("每百名学生拥有网络多媒体教室数"))
        #expect(out.stdout.contains("差异系数"))
        #expect(out.stdout.contains("学校达标规则"))
    }

    @Test func profileFoundByEnvironmentAndByPath() throws {
        let dir = try sampleRegistry()
        defer { try? FileManager.default.removeItem(at: dir) }
        let byEnv = try classroomctl(
            ["coverage", "report", "--registry", dir.path, "--profile", "zhaotong-2023", "--format", "json"],
            environment: ["CLASSROOMFLEET_PROFILES": Self.profiles])
        #expect(byEnv.status == 0, "\(byEnv.stderr)")
        #expect(byEnv.stdout.contains("\"profile\" : \"zhaotong-2023\""))
        let byPath = try classroomctl(
            ["coverage", "report", "--registry", dir.path, "--profile", Self.profiles + "/luxi-2024.toml", "--format", "json"])
        #expect(byPath.status == 0, "\(byPath.stderr)")
        #expect(byPath.stdout.contains("\"profile\" : \"luxi-2024\""))
    }

    @Test func syntheticCountyInMemoryWithTimings() throws {
        let out = try classroomctl([
            "coverage", "report", "--sample", "40", "--seed", "3", "--profiles-dir", Self.profiles, "--profile", "zhaotong-2025",
            "--format", "json", "--timings",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect((json["schools"] as? [Any])?.count == 40)
        #expect(out.stderr.contains("timings: load"))
        #expect(out.stderr.contains("(40 schools,"))
    }

    @Test func syntheticCountyWithSimulatedAgentsOnTheVerifiedBasis() throws {
        let out = try classroomctl([
            "coverage", "report", "--sample", "25", "--basis", "verified", "--profiles-dir", Self.profiles, "--profile",
            "luxi-2025",
            "--at", "2026-11-25", "--format", "json",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(json["basis"] as? String == "verified")
        let indicators = try #require((json["county"] as? [String: Any])?["indicators"] as? [[String: Any]])
        let usage = try #require(indicators.first { $0["key"] as? String == "usage_rate" && $0["stage"] as? String == "primary" })
        #expect(usage["value"] is Double)
        let smart = try #require(
            indicators.first { $0["key"] as? String == "smart_blackboard_class_coverage" && $0["stage"] as? String == "primary" })
        #expect(smart["declared_value"] is Double)
        #expect(smart["differs_from_declared"] as? Bool == true)
    }

    @Test func weeklyTrendPoints() throws {
        let out = try classroomctl([
            "coverage", "report", "--sample", "12", "--basis", "verified", "--profiles-dir", Self.profiles, "--profile",
            "luxi-2025",
            "--from", "2026-11-04", "--to", "2026-11-25", "--format", "json",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let points = try #require(json["points"] as? [[String: Any]])
        #expect(points.compactMap { $0["week"] as? String } == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"])
        #expect(points.compactMap { $0["at"] as? String } == ["2026-11-08", "2026-11-15", "2026-11-22", "2026-11-25"])
        let html = try classroomctl([
            "coverage", "report", "--sample", "12", "--profiles-dir", Self.profiles, "--profile", "luxi-2025", "--from",
            "2026-11-04",
            "--format", "html",
        ])
        #expect(html.status == 1)
        #expect(html.stderr.contains("--from/--to: use --format table or json"))
    }

    @Test func errorsAreOneClearLineAndExitOne() throws {
        let dir = try sampleRegistry()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appending(path: "bad.toml")
        try Data(
            "name = \"bad\"\nplan = \"p\"\n\n[[target]]\nindicator = \"usage_rate\"\nstages = [\"primary\"]\nthreshold = 0.9\nsourse = \"x\"\n"
                .utf8
        )
        .write(to: bad)
        let cases: [([String], String)] = [
            (["--profile", "no-such-plan"], "profile 'no-such-plan' not found"),
            (["--profile", bad.path], "\(bad.path):8: target.sourse: unknown key"),
            (["--profile", "luxi-2025", "--basis", "verified"], "--basis verified needs agents' evidence"),
            (["--profile", "luxi-2025", "--at", "2026-02-30"], "--at '2026-02-30': expected a date YYYY-MM-DD"),
            (["--profile", "luxi-2025", "--sample", "10"], "--sample and --registry cannot be used together"),
        ]
        for (args, message) in cases {
            let out = try report(dir, args)
            #expect(out.status == 1, "\(args)")
            #expect(out.stderr.contains(message), "\(args): \(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
        let noRegistry = try classroomctl(["coverage", "report", "--profile", "luxi-2025", "--profiles-dir", Self.profiles])
        #expect(noRegistry.status == 1)
        #expect(noRegistry.stderr.contains("no collector: pass --collector URL"))
        // A registry with a problem: FILE:LINE from the loader, nothing computed.
        try Data("room_id,school_id,name,kind,stage,class_name\nX1,S99999,x,classroom,primary,x\n".utf8)
            .write(to: dir.appending(path: "rooms.csv"))
        let broken = try report(dir, ["--profile", "luxi-2025"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains(dir.appending(path: "rooms.csv").path + ":2:"))
    }
}
