import ClassroomTestSupport
import Foundation
import Testing

/// Every class of registry problem, through the real `classroomctl registry check`: the problem is
/// printed as `FILE:LINE: field: message`, nothing is accepted, and the exit status is 1.
@Suite struct RegistryErrorClassTests {
    /// One broken registry: which file gets which lines appended (or replaced), and the expected message.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var append: String
        var replace: Bool = false
        var expected: String

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "missing column", file: "rooms.csv", append: "room_id,school_id,name,kind,stage\nR1,S1,x,classroom,primary\n",
            replace: true, expected: "rooms.csv:1: class_name: missing column"),
        Case(name: "empty id", file: "teachers.csv", append: ",S1,王芳,语文\n", expected: "teachers.csv:4: teacher_id: empty id"),
        Case(
            name: "duplicate id", file: "teachers.csv", append: "T1,S1,王芳,语文\n",
            expected: "teachers.csv:4: teacher_id: duplicate id 'T1' (first on line 2)"),
        Case(
            name: "unknown school", file: "teachers.csv", append: "T3,S7,王芳,语文\n",
            expected: "teachers.csv:4: school_id: unknown school 'S7'"),
        Case(
            name: "unknown room", file: "timetable.csv", append: "S1,R9,T1,2,08:00,08:40,语文\n",
            expected: "timetable.csv:3: room_id: unknown room 'R9'"),
        Case(
            name: "unknown teacher", file: "timetable.csv", append: "S1,R1,T9,2,08:00,08:40,语文\n",
            expected: "timetable.csv:3: teacher_id: unknown teacher 'T9'"),
        Case(
            name: "bad weekday", file: "timetable.csv", append: "S1,R1,T1,0,08:00,08:40,语文\n",
            expected: "timetable.csv:3: weekday: '0' is not a weekday"),
        Case(
            name: "bad time", file: "timetable.csv", append: "S1,R1,T1,2,8:0x,08:40,语文\n",
            expected: "timetable.csv:3: start: '8:0x' is not a time HH:MM"),
        Case(
            name: "end not after start", file: "timetable.csv", append: "S1,R1,T1,2,08:40,08:00,语文\n",
            expected: "timetable.csv:3: end: 08:00 is not after start 08:40"),
        Case(
            name: "overlapping lessons in one room", file: "timetable.csv", append: "S1,R1,T2,1,08:20,09:00,数学\n",
            expected: "timetable.csv:3: room_id: room 'R1' has overlapping lessons on weekday 1"),
        Case(
            name: "overlapping lessons of one teacher", file: "timetable.csv", append: "S1,R2,T1,1,08:20,09:00,语文\n",
            expected: "timetable.csv:3: teacher_id: teacher 'T1' has overlapping lessons on weekday 1"),
        Case(
            name: "negative count", file: "schools.csv", append: "S2,岩头村教学点,鲁甸县,龙树镇,-1,10,0,0,0,0\n",
            expected: "schools.csv:3: primary_classes: must not be negative (-1)"),
    ]

    static let base: [String: String] = [
        "schools.csv": """
        school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students
        S1,龙树中心小学,鲁甸县,龙树镇,6,240,0,0,0,0

        """,
        "rooms.csv": "room_id,school_id,name,kind,stage,class_name\nR1,S1,一年级1班,classroom,primary,一年级1班\n"
            + "R2,S1,二年级1班,classroom,primary,二年级1班\n",
        "teachers.csv": "teacher_id,school_id,name,subjects\nT1,S1,张伟,语文\nT2,S1,李娜,数学\n",
        "timetable.csv": "school_id,room_id,teacher_id,weekday,start,end,subject\nS1,R1,T1,1,08:00,08:40,语文\n",
    ]

    func write(_ files: [String: String], to dir: URL, bom: Bool = false) throws {
        for (name, text) in files {
            try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: dir.appending(path: name))
        }
    }

    @Test(arguments: cases) func problemIsPrintedAsFileLineAndExitsOne(_ broken: Case) throws {
        let dir = try TestProcess.temporaryDirectory("error-class")
        defer { try? FileManager.default.removeItem(at: dir) }
        var files = Self.base
        files[broken.file] = broken.replace ? broken.append : files[broken.file]! + broken.append
        try write(files, to: dir)
        let out = try TestProcess.run(TestProcess.product("classroomctl"), ["registry", "check", dir.path])
        #expect(out.status == 1)
        #expect(out.stderr.contains(dir.appending(path: broken.expected).path), "\(out.stderr)")
        #expect(out.stderr.contains("nothing was accepted"))
        #expect(out.stdout.isEmpty)
    }

    @Test func utf8WithByteOrderMarkChecksCleanlyWithChineseNames() throws {
        let dir = try TestProcess.temporaryDirectory("bom")
        defer { try? FileManager.default.removeItem(at: dir) }
        try write(Self.base, to: dir, bom: true)
        let out = try TestProcess.run(TestProcess.product("classroomctl"), ["registry", "check", dir.path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Registry OK — 鲁甸县"))
        #expect(out.stdout.contains("UTF-8 (BOM)"))
        #expect(out.stdout.contains("teachers         2"))
    }
}
