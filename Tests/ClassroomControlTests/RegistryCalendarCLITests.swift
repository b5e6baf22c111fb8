import ClassroomCore
import ClassroomTestSupport
import Foundation
import Testing

/// `classroomctl registry …` with the optional `calendar.csv`, through the real executable.
@Suite struct RegistryCalendarCLITests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func classroomctl(_ args: String...) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomctl"), args)
    }

    @Test func committedExampleCountyHasTheYunnanCalendar() throws {
        let out = try classroomctl("registry", "check", Self.repository.appending(path: "Deploy/examples/county").path)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(
            out.stdout.contains(
                "calendar         2 terms (2026-09-01 … 2027-01-22, 2027-02-22 … 2027-07-09), 196 school days, 18 holidays, 4 make-up workdays"
            ))
        #expect(out.stderr.isEmpty, "\(out.stderr)")
    }

    @Test func sampleWritesTheCalendarAndCheckReportsIt() throws {
        let dir = try TestProcess.temporaryDirectory("sample-calendar")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = try classroomctl("registry", "sample", "--out", dir.path, "--schools", "8", "--seed", "3")
        #expect(sample.status == 0, "\(sample.stderr)")
        let written = try String(contentsOf: dir.appending(path: "calendar.csv"), encoding: .utf8)
        #expect(written.contains("date,kind,note,timetable_weekday\n2026-09-01,term_start,"))
        #expect(written.contains("\n2026-10-01,holiday,国庆节,\n"))
        let check = try classroomctl("registry", "check", dir.path, "--json")
        #expect(check.status == 0, "\(check.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let calendar = try #require((json["summary"] as? [String: Any])?["calendar"] as? [String: Any])
        #expect(calendar["school_days"] as? Int == 196)
        #expect((calendar["terms"] as? [[String: Any]])?.first?["first"] as? String == "2026-09-01")
    }

    @Test func calendarProblemsArePrintedAsFileLineAndNothingIsAccepted() throws {
        let dir = try TestProcess.temporaryDirectory("bad-calendar")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try classroomctl("registry", "sample", "--out", dir.path, "--schools", "3", "--seed", "1")
        let calendar = """
            date,kind,note
            2026-09-01,term_start,秋季学期
            2026-10-01,national_day,国庆节
            2026-09-01,holiday,开学日
            2026-13-01,holiday,
            2027-01-22,term_end,
            2026-12-01,term_start,
            2027-03-01,term_end,

            """
        try Data(calendar.utf8).write(to: dir.appending(path: "calendar.csv"))
        let out = try classroomctl("registry", "check", dir.path)
        #expect(out.status == 1)
        let path = dir.appending(path: "calendar.csv").path
        #expect(out.stderr.contains("\(path):3: kind: 'national_day' is not one of term_start|term_end|holiday|workday"))
        #expect(out.stderr.contains("\(path):5: date: '2026-13-01' is not a date YYYY-MM-DD"))
        #expect(
            out.stderr.contains(
                "\(path):7: date: term_start 2026-12-01 is inside the term that starts 2026-09-01 (line 2) and has not ended: terms overlap"
            ))
        #expect(out.stderr.contains("\(path):4: date: duplicate date 2026-09-01 (first on line 2)"))
        #expect(out.stderr.contains("4 problems; nothing was accepted"))
        #expect(out.stdout.isEmpty)
    }
}
