import Foundation
import Testing

@testable import ClassroomCore

@Suite struct RegistryLoaderTests {
    @Test func validRegistryLoadsWithEveryField() throws {
        let loaded = try RegistryLoader.load(RegistryFixture().files())
        let r = loaded.registry
        #expect(r.schools.count == 3 && r.rooms.count == 5 && r.teachers.count == 4 && r.lessons.count == 6)
        let s1 = try #require(r.schoolsByID()["S1"])
        #expect(s1.primary == StageEnrollment(classes: 6, students: 240) && s1.junior.classes == 3 && s1.high == .none)
        #expect(r.schoolsByID()["S3"]?.isTeachingPoint == true)
        #expect(r.roomsByID()["R3"]?.name == "三年级(2)班, 东楼")
        #expect(r.roomsByID()["R2"]?.declared == Set(DeclaredEquipment.allCases))
        #expect(r.roomsByID()["R3"]?.declared == nil)
        #expect(r.teachersByID()["T4"]?.subjects == ["语文", "数学"])
        #expect(r.lessons[3].start == TimeOfDay(hour: 8, minute: 0))
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.encodings["schools.csv"] == .utf8)
    }

    @Test(arguments: [
        // (which file, edit, expected problem line)
        ("schools", "S2,水磨中心小学,鲁甸县,水磨镇,12,480", "schools.csv:3: has 6 fields, the header has 10"),
        ("schools", ",水磨中心小学,鲁甸县,水磨镇,12,480,0,0,0,0", "schools.csv:3: school_id: empty id"),
        ("schools", "S1,水磨中心小学,鲁甸县,水磨镇,12,480,0,0,0,0", "schools.csv:3: school_id: duplicate id 'S1' (first on line 2)"),
        ("schools", "S2,水磨中心小学,鲁甸县,水磨镇,12,-480,0,0,0,0", "schools.csv:3: primary_students: must not be negative (-480)"),
        ("schools", "S2,水磨中心小学,鲁甸县,水磨镇,twelve,480,0,0,0,0", "schools.csv:3: primary_classes: 'twelve' is not a whole number"),
        ("schools", "S2,,鲁甸县,水磨镇,12,480,0,0,0,0", "schools.csv:3: name: must not be empty"),
        ("schools", "S2,水磨中心小学,鲁甸县,水磨镇,0,480,0,0,0,0", "schools.csv:3: primary_classes: 480 primary students but no classes"),
    ])
    func schoolProblems(file: String, line: String, expected: String) {
        var f = RegistryFixture()
        f.schools = f.schools.split(separator: "\n").enumerated().map { $0.offset == 2 ? line : String($0.element) }.joined(
            separator: "\n")
        #expect(f.problems().contains(expected), "\(f.problems())")
    }

    @Test func missingColumnIsNamedWithTheHeaderLine() {
        var f = RegistryFixture()
        f.teachers = f.teachers.replacing("teacher_id,school_id,name,subjects", with: "teacher_id,school,name,subjects")
        #expect(f.problems().contains("teachers.csv:1: school_id: missing column"))
    }

    @Test func unknownColumnsAreIgnoredWithAWarning() throws {
        var f = RegistryFixture()
        f.teachers = f.teachers.replacing("name,subjects", with: "name,subjects,phone") + ",13800000000"
        f.teachers = f.teachers.split(separator: "\n").map {
            $0.contains(",") && !$0.hasSuffix("phone") && !$0.hasSuffix("00") ? $0 + "," : String($0)
        }.joined(separator: "\n")
        let loaded = try RegistryLoader.load(f.files())
        #expect(loaded.warnings.map(\.description) == ["teachers.csv:1: phone: unknown column ignored"])
    }

    @Test(arguments: [
        ("R9,S9,教室,classroom,primary,,", "rooms.csv:7: school_id: unknown school 'S9'"),
        (
            "R9,S1,教室,classroom_x,primary,,",
            "rooms.csv:7: kind: 'classroom_x' is not one of classroom|recording|computer_lab|other"
        ),
        ("R9,S1,教室,classroom,senior,,", "rooms.csv:7: stage: 'senior' is not one of primary|junior|high|shared"),
        ("R9,S2,教室,classroom,junior,,", "rooms.csv:7: stage: school S2 has no junior classes"),
        (
            "R9,S1,教室,classroom,primary,,projector",
            "rooms.csv:7: declared: 'projector' is not one of display;touch;speaker;microphone;camera;network"
        ),
        ("R1,S1,教室,classroom,primary,,", "rooms.csv:7: room_id: duplicate id 'R1' (first on line 2)"),
    ])
    func roomProblems(line: String, expected: String) {
        var f = RegistryFixture()
        f.rooms += "\n" + line
        #expect(f.problems().contains(expected), "\(f.problems())")
    }

    @Test(arguments: [
        ("S1,R9,T1,4,08:00,08:40,语文", "timetable.csv:8: room_id: unknown room 'R9'"),
        ("S1,R1,T9,4,08:00,08:40,语文", "timetable.csv:8: teacher_id: unknown teacher 'T9'"),
        ("S9,R1,T1,4,08:00,08:40,语文", "timetable.csv:8: school_id: unknown school 'S9'"),
        ("S2,R1,T3,4,08:00,08:40,语文", "timetable.csv:8: room_id: room 'R1' belongs to school S1, not S2"),
        ("S1,R1,T1,8,08:00,08:40,语文", "timetable.csv:8: weekday: '8' is not a weekday 1 (Monday) … 7 (Sunday)"),
        ("S1,R1,T1,0,08:00,08:40,语文", "timetable.csv:8: weekday: '0' is not a weekday 1 (Monday) … 7 (Sunday)"),
        ("S1,R1,T1,4,8h00,08:40,语文", "timetable.csv:8: start: '8h00' is not a time HH:MM"),
        ("S1,R1,T1,4,08:00,25:00,语文", "timetable.csv:8: end: '25:00' is not a time HH:MM"),
        ("S1,R1,T1,4,08:40,08:40,语文", "timetable.csv:8: end: 08:40 is not after start 08:40"),
        ("S1,R1,T1,4,09:00,08:00,语文", "timetable.csv:8: end: 08:00 is not after start 09:00"),
        (
            "S1,R1,T1,1,08:30,09:00,语文",
            "timetable.csv:8: room_id: room 'R1' has overlapping lessons on weekday 1: 08:00–08:40 (line 2) and 08:30–09:00"
        ),
        (
            "S1,R5,T1,2,10:20,10:50,语文",
            "timetable.csv:8: teacher_id: teacher 'T1' has overlapping lessons on weekday 2: 10:00–10:40 (line 4) and 10:20–10:50"
        ),
    ])
    func timetableProblems(line: String, expected: String) {
        var f = RegistryFixture()
        f.timetable += "\n" + line
        #expect(f.problems().contains(expected), "\(f.problems())")
    }

    /// A row the fast path leaves to the full check (a two-digit weekday, an unpadded hour, a teacher
    /// of another school) whose subject no earlier row named: the subject is added to the list the
    /// lesson then reads it from (this crashed: the list was read before the subject was added).
    @Test(arguments: [
        "S1,R1,T1,01,11:00,11:40,科学",
        "S1,R1,T1,1,9:40,10:20,科学",
        "S1,R1,T3,4,08:00,08:40,科学",
    ])
    func aNewSubjectOnARowCheckedInFullIsKept(line: String) throws {
        var f = RegistryFixture()
        f.timetable += "\n" + line
        let loaded = try RegistryLoader.load(f.files())
        #expect(loaded.registry.lessons.count == 7)
        #expect(loaded.registry.lessons.last?.subject == "科学")
        #expect(loaded.registry.lessons.filter { $0.subject == "科学" }.count == 1)
    }

    /// The input libFuzzer found (CI, 2026-12-05): a new subject on a row with weekday `01`.
    @Test func theFuzzerCrashInputIsRefusedWithProblems() throws {
        let input = try #require(
            Data(
                base64Encoded:
                    "c2Nob29sX2lkLHJvb21faWQsdGVhY2hlcl9pZCx3ZWVrZGF5LHN0YXJ0LGVuZCxzdWJqZWN0ClMxLFIxLFQxLDAxLDg6MDAsMDg6NDAseApTMSxSMSxUMSw3LDIzcnQsZWN08KzO063O06sxLDAsMTg6MDAsMDg6NDAseApTMSxSMSw6NTksMjQ6MDAseQo="
            ))
        var files = RegistryFixture().files()
        files["timetable.csv"] = Array(input)
        #expect(throws: RegistryProblems.self) { try RegistryLoader.load(files) }
    }

    @Test func touchingLessonsDoNotOverlap() throws {
        var f = RegistryFixture()
        f.timetable += "\nS1,R1,T1,1,08:40,08:50,语文"
        #expect(f.problems().isEmpty)
    }

    @Test func overlapIsReportedOnTheLaterLineEvenWhenListedFirst() {
        var f = RegistryFixture()
        // The long lesson starts earlier but is on the later line; the earlier line is named.
        f.timetable += "\nS1,R1,T2,1,07:30,10:00,英语"
        let problems = f.problems()
        #expect(
            problems.contains {
                $0.hasPrefix("timetable.csv:8: room_id: room 'R1' has overlapping lessons") && $0.contains("(line 2)")
            })
    }

    @Test func missingAndEmptyFilesAndManyProblemsAreAllReported() {
        var files = RegistryFixture().files()
        files["timetable.csv"] = nil
        files["rooms.csv"] = []
        files["notes.txt"] = Array("hello".utf8)
        do {
            _ = try RegistryLoader.load(files)
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.map(\.description).contains("timetable.csv: file is missing"))
            #expect(error.problems.map(\.description).contains { $0.hasPrefix("rooms.csv:1: file is empty") })
            #expect(error.warnings.map(\.description) == ["notes.txt: not a registry file; ignored"])
        }
    }

    @Test func allProblemsNotJustTheFirst() {
        var f = RegistryFixture()
        f.timetable += "\nS1,R9,T9,9,x,y,z"
        let problems = f.problems()
        for field in ["room_id", "teacher_id", "weekday", "start", "end"] {
            #expect(problems.contains { $0.hasPrefix("timetable.csv:8: \(field):") }, "\(field) in \(problems)")
        }
    }

    @Test func malformedCSVNamesTheLine() {
        var f = RegistryFixture()
        f.rooms += "\nR9,S1,\"unterminated,classroom,primary,,"
        #expect(f.problems() == ["rooms.csv:7: malformed CSV: quoted field is never closed"])
    }

    @Test func gb18030RegistryWithChineseNamesLoads() throws {
        let f = RegistryFixture()
        var files: [String: [UInt8]] = [:]
        for (name, bytes) in f.files() {
            files[name] = try #require(TextDecoder.encodeGB18030(String(decoding: bytes, as: UTF8.self)))
        }
        // It really is GBK-encoded: not valid UTF-8.
        #expect(String(validating: files["schools.csv"]!, as: UTF8.self) == nil)
        let loaded = try RegistryLoader.load(files)
        #expect(loaded.registry.schoolsByID()["S2"]?.name == "水磨中心小学")
        #expect(loaded.registry.teachersByID()["T1"]?.name == "张伟")
        #expect(loaded.encodings["teachers.csv"] == .gb18030)
    }

    @Test func utf8WithByteOrderMarkAndCRLFLoads() throws {
        var files = RegistryFixture().files()
        for (name, bytes) in files {
            files[name] = [0xEF, 0xBB, 0xBF] + Array(String(decoding: bytes, as: UTF8.self).replacing("\n", with: "\r\n").utf8)
        }
        let loaded = try RegistryLoader.load(files)
        #expect(loaded.registry.schools.first?.id == "S1")
        #expect(loaded.registry.lessons.last?.subject == "英语")
        #expect(loaded.encodings["rooms.csv"] == .utf8WithBOM)
    }

    @Test func invalidBytesAreReportedWithTheirLine() {
        var files = RegistryFixture().files()
        files["teachers.csv"] =
            Array("teacher_id,school_id,name,subjects\nT1,S1,".utf8) + [0xFF, 0xFF, 0xFF] + Array(",x\n".utf8)
        do {
            _ = try RegistryLoader.load(files)
            Issue.record("expected a problem")
        } catch {
            #expect(
                error.problems.map(\.description).contains { $0.hasPrefix("teachers.csv:2: name: not valid UTF-8 or GB18030") })
        }
    }
}
