import ClassroomCore
import FuzzDriver

/// The registry import on hostile bytes: decoding (UTF-8, BOM, GB18030), CSV, validation. The first
/// byte picks which of the four files the rest replaces; the others are a small valid county.
@main enum FuzzRegistryCSV {
    static let county: [String: [UInt8]] = [
        "schools.csv": Array(
            """
            school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students
            S1,水磨中心小学,鲁甸县,水磨镇,12,480,0,0,0,0

            """.utf8),
        "rooms.csv": Array("room_id,school_id,name,kind,stage,class_name\nR1,S1,一年级一班,classroom,primary,一年级一班\n".utf8),
        "teachers.csv": Array("teacher_id,school_id,name,subjects\nT1,S1,张伟,语文\n".utf8),
        "timetable.csv": Array("school_id,room_id,teacher_id,weekday,start,end,subject\nS1,R1,T1,1,08:00,08:40,语文\n".utf8),
    ]

    static func main() {
        FuzzDriver.main { bytes in
            guard let selector = bytes.first else { return }
            let body = Array(bytes.dropFirst())
            var files = county
            files[RegistryLoader.fileNames[Int(selector) % 4]] = body
            do throws(RegistryProblems) {
                let loaded = try RegistryLoader.load(files)
                precondition(!loaded.registry.schools.isEmpty, "a registry that loads has its schools")
            } catch {
                precondition(!error.problems.isEmpty, "a refused registry names at least one problem")
                for problem in error.problems { precondition(problem.line >= 0) }
            }
            if case .failure(let failure) = Result(catching: { () throws(TextDecoder.Failure) in try TextDecoder.decode(body) }) {
                precondition(failure.offset >= 0 && failure.offset <= body.count, "the bad byte lies in the file")
            }
        }
    }
}
