import ClassroomSamples
import Testing

@testable import ClassroomCore

/// The optional `position` column of `teachers.csv` (校长 / 副校长), for the observation quotas.
@Suite struct RegistryPositionTests {
    static func withPositions(_ cells: [String]) -> RegistryFixture {
        var f = RegistryFixture()
        let lines = f.teachers.split(separator: "\n").map(String.init)
        f.teachers = ([lines[0] + ",position"] + lines.dropFirst().enumerated().map { $0.element + "," + cells[$0.offset] })
            .joined(separator: "\n")
        return f
    }

    @Test func positionsInEnglishOrChineseLoad() throws {
        let f = Self.withPositions(["校长", "vice_principal", "", " Principal "])
        let r = try RegistryLoader.load(f.files()).registry.teachersByID()
        #expect(r["T1"]?.position == .principal)
        #expect(r["T2"]?.position == .vicePrincipal)
        #expect(r["T3"]?.position == nil)
        #expect(r["T4"]?.position == .principal)
    }

    /// The spellings a registry writes take a shortcut; any other case, spacing or the hyphen still parse.
    @Test func everySpellingParsesWithOrWithoutTheShortcut() {
        for cell in ["principal", "校长", "Principal", "PRINCIPAL", " 校长\t", "\u{3000}principal"] {
            #expect(TeacherPosition(cell: cell) == .principal, "\(cell)")
        }
        for cell in ["vice_principal", "副校长", "vice-principal", "Vice_Principal", " 副校长 "] {
            #expect(TeacherPosition(cell: cell) == .vicePrincipal, "\(cell)")
        }
        for cell in ["", " ", "principals", "副 校长", "校长助理", "vice principal"] {
            #expect(TeacherPosition(cell: cell) == nil, "\(cell)")
        }
    }

    @Test func anUnknownPositionIsAProblemAtItsLine() {
        let f = Self.withPositions(["校长", "教导主任", "", ""])
        #expect(
            f.problems()
                == ["teachers.csv:3: position: '教导主任' is not a position: principal (校长), vice_principal (副校长), or empty"])
    }

    @Test func withoutTheColumnNobodyHasAPosition() throws {
        let r = try RegistryLoader.load(RegistryFixture().files()).registry
        #expect(r.teachers.allSatisfy { $0.position == nil })
    }

    @Test func gb18030TeachersWithPositionsLoad() throws {
        let f = Self.withPositions(["校长", "副校长", "", ""])
        var files = f.files()
        files["teachers.csv"] = try #require(TextDecoder.encodeGB18030(String(decoding: files["teachers.csv"]!, as: UTF8.self)))
        let loaded = try RegistryLoader.load(files)
        #expect(loaded.encodings["teachers.csv"] == .gb18030)
        #expect(loaded.registry.teachersByID()["T2"]?.position == .vicePrincipal)
    }

    @Test func theSampleCountyHasAPrincipalPerSchoolAndRoundTripsThroughCSV() throws {
        let registry = SampleCounty(schools: 12, seed: 3).generate()
        let principals = registry.teachers.filter { $0.position == .principal }
        #expect(Set(principals.map(\.schoolID)) == Set(registry.schools.map(\.id)))
        #expect(principals.count == registry.schools.count)
        #expect(registry.teachers.contains { $0.position == .vicePrincipal })
        let files = RegistryCSVWriter.files(registry)
        #expect(
            String(decoding: files["teachers.csv"]!, as: UTF8.self).hasPrefix(
                "\u{FEFF}teacher_id,school_id,name,subjects,position"))
        let again = try RegistryLoader.load(files).registry
        #expect(again.teachers.map(\.position) == registry.teachers.map(\.position))
    }
}
