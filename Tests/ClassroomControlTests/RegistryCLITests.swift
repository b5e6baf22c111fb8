import ClassroomCore
import ClassroomTestSupport
import Foundation
import Testing

/// `classroomctl registry …` through the real executable.
@Suite struct RegistryCLITests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func classroomctl(_ args: String...) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomctl"), args)
    }

    @Test func committedExampleCountyChecksWithASummary() throws {
        let out = try classroomctl("registry", "check", Self.repository.appending(path: "Deploy/examples/county").path)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Registry OK — 样例县"))
        #expect(out.stdout.contains("lessons/week"))
    }

    @Test func sampleThenCheckAsJSON() throws {
        let dir = try TestProcess.temporaryDirectory("sample")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = try classroomctl("registry", "sample", "--out", dir.path, "--schools", "25", "--seed", "9", "--json")
        #expect(sample.status == 0, "\(sample.stderr)")
        let check = try classroomctl("registry", "check", dir.path, "--json")
        #expect(check.status == 0)
        let json = try #require(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect(json["valid"] as? Bool == true)
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["schools"] as? Int == 25)
        // The sample's own summary and the check of what it wrote agree.
        let sampled = try #require(JSONSerialization.jsonObject(with: Data(sample.stdout.utf8)) as? [String: Any])
        #expect(sampled["lessons_per_week"] as? Int == summary["lessons_per_week"] as? Int)
    }

    @Test func problemsArePrintedAsFileLineAndExitOne() throws {
        let dir = try TestProcess.temporaryDirectory("bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeRegistry(to: dir, timetableExtra: "S1,R1,T1,9,08:00,08:40,语文\nS1,R1,T1,1,08:20,08:30,语文\n")
        let out = try classroomctl("registry", "check", dir.path)
        #expect(out.status == 1)
        let path = dir.appending(path: "timetable.csv").path
        #expect(out.stderr.contains("\(path):3: weekday: '9' is not a weekday"))
        #expect(out.stderr.contains("\(path):4: room_id: room 'R1' has overlapping lessons on weekday 1"))
        #expect(out.stderr.contains("nothing was accepted"))
        #expect(out.stdout.isEmpty)

        let json = try classroomctl("registry", "check", dir.path, "--json")
        #expect(json.status == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.map { $0["line"] as? Int } == [3, 4, 4])
    }

    @Test func gbkRegistryPrintsChineseNamesCorrectly() throws {
        let dir = try TestProcess.temporaryDirectory("gbk")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeRegistry(to: dir, encode: { try #require(TextDecoder.encodeGB18030($0)) })
        let out = try classroomctl("registry", "check", dir.path)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Registry OK — 鲁甸县"))
        #expect(out.stdout.contains("GB18030"))
        // A problem in a GBK file quotes the Chinese text correctly.
        try Data(try #require(TextDecoder.encodeGB18030("teacher_id,school_id,name,subjects\nT1,S1,张伟,语文\nT2,S9,李娜,英语\n")))
            .write(to: dir.appending(path: "teachers.csv"))
        let bad = try classroomctl("registry", "check", dir.path)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("teachers.csv:3: school_id: unknown school 'S9'"))
    }

    @Test func missingFolderIsAClearError() throws {
        let out = try classroomctl("registry", "check", "/nonexistent/county")
        #expect(out.status == 1)
        #expect(out.stderr.contains("/nonexistent/county: no such directory"))
    }

    func writeRegistry(to dir: URL, timetableExtra: String = "", encode: (String) throws -> [UInt8] = { Array($0.utf8) }) throws {
        let files = [
            "schools.csv": """
            school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students
            S1,龙树中心小学,鲁甸县,龙树镇,6,240,0,0,0,0

            """,
            "rooms.csv": "room_id,school_id,name,kind,stage,class_name\nR1,S1,一年级1班,classroom,primary,一年级1班\n",
            "teachers.csv": "teacher_id,school_id,name,subjects\nT1,S1,张伟,语文\n",
            "timetable.csv": "school_id,room_id,teacher_id,weekday,start,end,subject\nS1,R1,T1,1,08:00,08:40,语文\n"
                + timetableExtra,
        ]
        for (name, text) in files { try Data(try encode(text)).write(to: dir.appending(path: name)) }
    }
}
