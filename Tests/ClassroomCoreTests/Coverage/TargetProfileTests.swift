import ClassroomCore
import FoundationEssentials
import Testing

@Suite("Target profiles: shipped ones load, malformed ones name file, line and key")
struct TargetProfileTests {
    static let profilesDirectory = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/profiles")
    static let shipped = [
        "national-quality-balance", "luxi-2023", "luxi-2024", "luxi-2025", "zhaotong-2023", "zhaotong-2024", "zhaotong-2025",
    ]

    static func load(_ name: String) throws -> TargetProfile {
        let data = try Data(contentsOf: profilesDirectory.appending(path: name + ".toml"))
        return try TargetProfile.load(String(decoding: data, as: UTF8.self), file: name + ".toml")
    }

    @Test(arguments: shipped) func shippedProfileLoads(name: String) throws {
        let p = try Self.load(name)
        #expect(p.name == name)
        #expect(!p.targets.isEmpty)
        #expect(p.targets.allSatisfy { !$0.source.isEmpty })
    }

    @Test func shippedThresholdsMatchThePlans() throws {
        #expect(try Self.load("zhaotong-2023").target(.digitalClassroomCoverage, .primary)?.threshold == 0.2)
        #expect(try Self.load("zhaotong-2024").target(.digitalClassroomCoverage, .junior)?.threshold == 0.6)
        #expect(try Self.load("zhaotong-2025").target(.digitalClassroomCoverage, .high)?.threshold == 1)
        #expect(try Self.load("zhaotong-2025").target(.recordingClassrooms, .primary)?.minClasses == 18)
        let national = try Self.load("national-quality-balance")
        #expect(national.target(.multimediaClassroomsPer100Students, .primary).map { ($0.threshold, $0.cvMax) }! == (2.3, 0.5))
        #expect(national.target(.multimediaClassroomsPer100Students, .junior).map { ($0.threshold, $0.cvMax) }! == (2.4, 0.45))
        #expect(national.schoolRule.map { ($0.indicators.count, $0.minMet, $0.restRatio) }! == (7, 6, 0.85))
        let luxi = try Self.load("luxi-2025")
        #expect(luxi.target(.recordingClassrooms, .primary)?.classesPerRoom == 18)
        #expect(luxi.target(.recordingClassrooms, .junior)?.classesPerRoom == 12)
        #expect(luxi.target(.usageRate, .primary)?.threshold == 0.9)
    }

    static let valid = """
        name = "t"
        plan = "p"

        [[target]]
        indicator = "digital_classroom_coverage"
        stages = ["primary"]
        threshold = 0.6
        source = "s"
        """

    func error(_ text: String) -> TOMLError? {
        do {
            _ = try TargetProfile.load(text, file: "bad.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func validMinimalProfile() throws {
        let p = try TargetProfile.load(Self.valid, file: "t.toml")
        #expect(p.targets.count == 1)
        #expect(p.title == "t")
    }

    @Test func unknownKeyNamesItsLine() throws {
        let e = try #require(error(Self.valid + "\nthreshhold = 1\n"))
        #expect(e.description.hasPrefix("bad.toml:9: target.threshhold: unknown key"))
    }

    @Test func malformedValuesNameFileLineAndKey() throws {
        let cases: [(String, String)] = [
            (
                Self.valid.replacingOccurrences(of: "digital_classroom_coverage", with: "smartboards"),
                "bad.toml:5: target.indicator: unknown indicator 'smartboards'"
            ),
            (
                Self.valid.replacingOccurrences(of: "0.6", with: "60"),
                "bad.toml:7: target.threshold: a share must be between 0 and 1"
            ),
            (
                Self.valid.replacingOccurrences(of: "[\"primary\"]", with: "[\"kindergarten\"]"),
                "bad.toml:6: target.stages: unknown stage 'kindergarten'"
            ),
            (
                Self.valid.replacingOccurrences(of: "0.6", with: "\"60%\""),
                "bad.toml:7: target.threshold: expected a number, found string"
            ),
            (Self.valid.replacingOccurrences(of: "plan = \"p\"\n", with: ""), "bad.toml:0: plan: missing required key"),
            (Self.valid + "\n[extra]\n", "bad.toml:9: extra: unknown table"),
            (
                Self.valid
                    + "\n[[target]]\nindicator = \"digital_classroom_coverage\"\nstages = [\"primary\"]\nthreshold = 1\nsource = \"x\"\n",
                "bad.toml:11: target.stages: digital_classroom_coverage for primary is already set"
            ),
            (Self.valid.replacingOccurrences(of: "threshold = 0.6", with: "threshold = 0.6 0.7"), "bad.toml:7:"),
        ]
        for (text, prefix) in cases {
            let e = try #require(error(text), "expected an error for prefix \(prefix)")
            #expect(e.description.hasPrefix(prefix), "got: \(e.description)")
        }
    }

    @Test func schoolRuleIsValidated() throws {
        let rule =
            "\n[school_rule]\nindicators = [\"multimedia_classrooms_per_100_students\", \"desks\"]\nmin_met = 1\nrest_ratio = 0.85\nsource = \"s\"\n"
        #expect(
            try #require(error(Self.valid + rule)).description.hasPrefix(
                "bad.toml:10: school_rule.indicators: unknown indicator 'desks'"))
        let tooMany = rule.replacingOccurrences(of: ", \"desks\"", with: "").replacingOccurrences(
            of: "min_met = 1", with: "min_met = 3")
        #expect(try #require(error(Self.valid + tooMany)).description.hasPrefix("bad.toml:11: school_rule.min_met:"))
    }
}
