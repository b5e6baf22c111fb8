import ClassroomCore
import ClassroomTestSupport
import Foundation
import Testing

/// `classroomctl spotcheck simulate|verify` through the real executable on a generated county.
@Suite struct SpotCheckCLITests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func classroomctl(_ args: [String]) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomctl"), args)
    }

    /// A sample county of `schools` schools in a fresh folder.
    func county(schools: Int) throws -> URL {
        let dir = try TestProcess.temporaryDirectory("spotcheck")
        let out = try classroomctl(["registry", "sample", "--out", dir.path, "--schools", "\(schools)", "--seed", "4"])
        #expect(out.status == 0, "\(out.stderr)")
        return dir
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func simulateAllRoomsCallsTwentySchoolsAWeekAsJSON() throws {
        let dir = try county(schools: 45)
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = [
            "spotcheck", "simulate", "--registry", dir.path, "--weeks", "8", "--seed", "7", "--start-week", "2026-W48",
            "--all-rooms", "--json",
        ]
        let out = try classroomctl(args)
        #expect(out.status == 0, "\(out.stderr)")
        let json = try object(out.stdout)
        let weeks = try #require(json["weeks"] as? [[String: Any]])
        #expect(weeks.map { $0["week"] as? String } == (48...53).map { "2026-W\($0)" } + ["2027-W01", "2027-W02"])
        for week in weeks {
            #expect(week["round"] as? Int == 1)
            let orders = try #require(week["orders"] as? [[String: Any]])
            #expect(orders.count == 20)
            #expect(Set(orders.compactMap { $0["school_id"] as? String }).count == 20)
            for key in ["teacher_id", "school_id", "room_id", "weekday", "start"] {
                #expect(orders.allSatisfy { $0[key] != nil }, "orders lack \(key)")
            }
        }
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.first?["round"] as? Int == 1 && rounds.first?["ended"] as? Bool == false)
        #expect(json["shortfall_weeks"] as? Int == 0)
        // The same options give the same draws; another beacon other draws.
        #expect(try classroomctl(args).stdout == out.stdout)
        let other = try classroomctl(args + ["--beacon", "福彩 2026-11-23"])
        #expect(other.status == 0)
        #expect(try object(other.stdout)["weeks"] as? NSArray != weeks as NSArray)
    }

    @Test func simulateRecordingClassroomsReportsRoundsAndShortfallAsText() throws {
        let dir = try county(schools: 30)
        defer { try? FileManager.default.removeItem(at: dir) }
        // From the autumn term's first week: 30 weeks hold the 4 weeks of the sample calendar's winter break.
        let args = ["spotcheck", "simulate", "--registry", dir.path, "--weeks", "30", "--seed", "1", "--start-week", "2026-W36"]
        let json = try object(try classroomctl(args + ["--json"]).stdout)
        let eligible = try #require(json["eligible"] as? [String: Any])
        let schools = try #require(eligible["schools"] as? Int)
        #expect(schools > 0 && schools < 30, "only schools with a recording classroom are eligible")
        let weeks = try #require(json["weeks"] as? [[String: Any]])
        #expect(weeks.count == 26)
        let off = try #require(json["no_school_weeks"] as? [[String: Any]])
        #expect(off.map { $0["week"] as? String } == ["2027-W04", "2027-W05", "2027-W06", "2027-W07"])
        #expect(off.allSatisfy { $0["kind"] as? String == "winter_break" })
        #expect(weeks.allSatisfy { ($0["orders"] as? [Any])?.count == min(20, schools) })
        #expect(weeks.allSatisfy { $0["shortfall"] as? Int == 20 - min(20, schools) })
        let rounds = try #require(json["rounds"] as? [[String: Any]])
        #expect(rounds.count >= 2, "30 weeks pass more than one round")

        let text = try classroomctl(args + ["--timings"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(
            text.stdout.contains(
                "eligible (recording classrooms): \(eligible["teachers"] as! Int) teachers in \(schools) of 30 schools"))
        #expect(text.stdout.contains("2026-W36  round 1  \(min(20, schools)) order(s)"))
        #expect(text.stdout.contains("\n2027-W05  no school day (winter break): no draw\n"))
        #expect(text.stdout.contains("Rounds\n  round 1  2026-W36 … "))
        #expect(text.stdout.contains(schools < 20 ? "Shortfall: 26 week(s) short of 20" : "Shortfall: none"))
        #expect(text.stderr.contains("timings: registry load"))
    }

    @Test func revealFilesVerifyAndATamperedOneFails() throws {
        let dir = try county(schools: 25)
        let reveals = try TestProcess.temporaryDirectory("reveals")
        defer {
            try? FileManager.default.removeItem(at: dir)
            try? FileManager.default.removeItem(at: reveals)
        }
        let sim = try classroomctl([
            "spotcheck", "simulate", "--registry", dir.path, "--weeks", "3", "--seed", "s", "--start-week", "2026-W52",
            "--all-rooms", "--reveal-out", reveals.path, "--json",
        ])
        #expect(sim.status == 0, "\(sim.stderr)")
        let files = ["2026-W52", "2026-W53", "2027-W01"].map { reveals.appending(path: "\($0).json").path }
        let ok = try classroomctl(["spotcheck", "verify"] + files.flatMap { ["--file", $0] })
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("\(files[0]): verified — 2026-W52, 20 order(s)"))
        // The commitment printed at "draw time" is the one the reveal must match.
        let week = try #require((try object(sim.stdout)["weeks"] as? [[String: Any]])?.first)
        let commitment = try #require(week["commitment"] as? String)
        #expect(try classroomctl(["spotcheck", "verify", "--file", files[0], "--commitment", commitment]).status == 0)
        let wrong = try classroomctl([
            "spotcheck", "verify", "--file", files[0], "--commitment", String(repeating: "0", count: 64),
        ])
        #expect(wrong.status == 1 && wrong.stderr.contains("commitment"))

        // Change the room of the second order: the first difference is named.
        var reveal = try object(String(decoding: try Data(contentsOf: URL(filePath: files[1])), as: UTF8.self))
        var orders = try #require(reveal["orders"] as? [[String: Any]])
        let room = try #require(orders[1]["room_id"] as? String)
        orders[1]["room_id"] = room + "X"
        reveal["orders"] = orders
        let tampered = reveals.appending(path: "tampered.json")
        try JSONSerialization.data(withJSONObject: reveal).write(to: tampered)
        let bad = try classroomctl(["spotcheck", "verify", "--file", tampered.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("orders[1].room_id: the reveal says '\(room)X', the recomputed draw gives '\(room)'"))
        #expect(bad.stdout.isEmpty)

        // Weeks given out of order chain fine; a week drawn from another rotation does not.
        let unordered = try classroomctl(["spotcheck", "verify", "--file", files[2], "--file", files[1], "--file", files[0]])
        #expect(unordered.status == 0, "\(unordered.stderr)")
        let other = try TestProcess.temporaryDirectory("reveals-other")
        defer { try? FileManager.default.removeItem(at: other) }
        let restarted = try classroomctl([
            "spotcheck", "simulate", "--registry", dir.path, "--weeks", "1", "--seed", "s", "--start-week", "2026-W53",
            "--all-rooms", "--reveal-out", other.path,
        ])
        #expect(restarted.status == 0)
        let foreign = other.appending(path: "2026-W53.json").path
        #expect(try classroomctl(["spotcheck", "verify", "--file", foreign]).status == 0, "it verifies alone")
        let broken = try classroomctl(["spotcheck", "verify", "--file", files[0], "--file", foreign])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("\(foreign): rounds_before: does not continue the rounds_after of 2026-W52"))
        #expect(broken.stdout.contains("\(files[0]): verified"))

        // Not a reveal at all.
        let junk = reveals.appending(path: "junk.json")
        try Data(#"{"format": "classroomfleet-spotcheck-reveal/1", "week": "2026-W99"}"#.utf8).write(to: junk)
        let unreadable = try classroomctl(["spotcheck", "verify", "--file", junk.path, "--json"])
        #expect(unreadable.status == 1)
        let files2 = try #require(try object(unreadable.stdout)["files"] as? [[String: Any]])
        #expect((files2.first?["difference"] as? String)?.contains("not a reveal document: week") == true)
    }

    @Test func theIndependentPythonImplementationVerifiesTheSameReveal() throws {
        let path = ProcessInfo.processInfo.environment["PATH", default: "/usr/bin"].split(separator: ":")
        let python = try #require(
            (path.map { "\($0)/python3" } + ["/usr/bin/python3"]).first { FileManager.default.isExecutableFile(atPath: $0) },
            "python3 is installed by scripts/install-deps.sh test (python3-venv)")
        let dir = try county(schools: 22)
        let reveals = try TestProcess.temporaryDirectory("reveals-py")
        defer {
            try? FileManager.default.removeItem(at: dir)
            try? FileManager.default.removeItem(at: reveals)
        }
        let sim = try classroomctl([
            "spotcheck", "simulate", "--registry", dir.path, "--weeks", "2", "--seed", "py", "--start-week", "2026-W48",
            "--reveal-out", reveals.path,
        ])
        #expect(sim.status == 0, "\(sim.stderr)")
        let script = Self.repository.appending(path: "docs/spotcheck-reference.py").path
        for week in ["2026-W48", "2026-W49"] {
            let out = try TestProcess.run(URL(filePath: python), [script, reveals.appending(path: "\(week).json").path])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("verified"))
        }
    }

    @Test func badArgumentsAndMissingRegistryFailClearly() throws {
        let missing = try classroomctl(["spotcheck", "simulate", "--registry", "/nonexistent", "--weeks", "2", "--seed", "1"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent: no such directory"))
        let weeks = try classroomctl(["spotcheck", "simulate", "--registry", "/tmp", "--weeks", "0", "--seed", "1"])
        #expect(weeks.status != 0 && weeks.stderr.contains("--weeks must be between 1 and 520"))
        let week = try classroomctl([
            "spotcheck", "simulate", "--registry", "/tmp", "--weeks", "1", "--seed", "1", "--start-week", "2026-48",
        ])
        #expect(week.status != 0 && week.stderr.contains("is not an ISO week"))
        let noFile = try classroomctl(["spotcheck", "verify"])
        #expect(noFile.status != 0 && noFile.stderr.contains("--file"))
        let help = try classroomctl(["spotcheck", "simulate", "--help"])
        #expect(help.stdout.contains("--all-rooms") && help.stdout.contains("recording classrooms"))
    }
}
