import ClassroomSamples
import Testing

@testable import ClassroomCore

/// The optional resource columns of `schools.csv` (the six national indicators no machine can see).
@Suite struct RegistryResourceTests {
    static let header = SchoolResource.columns.joined(separator: ",")

    /// The fixture with the resource columns; `cells` holds one row of 12 cells per school (S1, S2, S3).
    static func withResources(_ cells: [[String]]) -> RegistryFixture {
        var f = RegistryFixture()
        let lines = f.schools.split(separator: "\n").map(String.init)
        f.schools =
            ([lines[0] + "," + header]
            + lines.dropFirst().enumerated().map {
                $0.element + "," + cells[$0.offset].joined(separator: ",")
            }).joined(separator: "\n")
        return f
    }

    static let blank = Array(repeating: "", count: 12)
    /// S1 is a nine-year school (primary 240, junior 150): primary then junior quantities.
    static let nineYear = ["10", "3", "2", "1100.5", "1800", "480000", "8", "2", "2", "870", "1530", "375000"]

    @Test func declaredQuantitiesLoadPerStage() throws {
        let f = Self.withResources([
            Self.nineYear, ["20", "5", "4", "2200", "3600", "960000"] + Array(repeating: "", count: 6), Self.blank,
        ])
        let schools = try RegistryLoader.load(f.files()).registry.schoolsByID()
        #expect(schools["S1"]?.primary.resources[.teachingArea] == 1100.5)
        #expect(schools["S1"]?.junior.resources[.equipmentValue] == 375_000)
        #expect(schools["S1"]?.junior.resources.count == 6)
        #expect(schools["S2"]?.primary.resources[.qualifiedTeachers] == 20)
        #expect(schools["S2"]?.junior.resources.isEmpty == true)
        #expect(schools["S3"]?.primary.resources.isEmpty == true)
    }

    @Test func aBlankCellIsNotDeclaredAndZeroIsAValue() throws {
        var row = Self.nineYear
        row[4] = ""
        row[1] = "0"
        let f = Self.withResources([row, Self.blank, Self.blank])
        let s1 = try #require(try RegistryLoader.load(f.files()).registry.schoolsByID()["S1"])
        #expect(s1.primary.resources[.sportsArea] == nil)
        #expect(s1.primary.resources[.backboneTeachers] == 0)
    }

    @Test func badValuesAreProblemsAtTheirLineAndNothingIsAccepted() {
        var s1 = Self.nineYear
        s1[0] = "-3"  // negative
        s1[3] = "很大"  // not a number
        s1[7] = "2.5"  // half a teacher
        s1[10] = "nan"
        var s2 = Array(repeating: "", count: 12)
        s2[6] = "4"  // S2 has no junior classes
        s2[5] = "inf"
        let f = Self.withResources([s1, s2, Self.blank])
        #expect(
            f.problems() == [
                "schools.csv:2: primary_qualified_teachers: must not be negative (-3)",
                "schools.csv:2: primary_teaching_area_m2: '很大' is not a number",
                "schools.csv:2: junior_backbone_teachers: '2.5' is not a whole number of teachers",
                "schools.csv:2: junior_sports_area_m2: 'nan' is not a number",
                "schools.csv:3: primary_equipment_value_yuan: 'inf' is not a number",
                "schools.csv:3: junior_qualified_teachers: school has no junior classes",
            ])
        #expect(throws: RegistryProblems.self) { try RegistryLoader.load(f.files()) }
    }

    @Test func aZeroForAStageWithoutClassesIsAccepted() throws {
        var s2 = Array(repeating: "", count: 12)
        s2[6] = "0"
        let f = Self.withResources([Self.blank, s2, Self.blank])
        #expect(try RegistryLoader.load(f.files()).registry.schoolsByID()["S2"]?.junior.resources.isEmpty == true)
    }

    @Test func highStageColumnsAreUnknown() throws {
        var f = RegistryFixture()
        f.schools = f.schools.split(separator: "\n").enumerated()
            .map { $0.element + ($0.offset == 0 ? ",high_backbone_teachers" : ",1") }.joined(separator: "\n")
        let loaded = try RegistryLoader.load(f.files())
        #expect(loaded.warnings.map(\.description) == ["schools.csv:1: high_backbone_teachers: unknown column ignored"])
    }

    @Test func theWriterRoundTripsAndOmitsTheColumnsWhenNobodyDeclares() throws {
        let f = Self.withResources([Self.nineYear, Self.blank, Self.blank])
        let registry = try RegistryLoader.load(f.files()).registry
        let written = RegistryCSVWriter.files(registry)
        #expect(try RegistryLoader.load(written).registry == registry)
        let header = String(decoding: written["schools.csv"]!.dropFirst(3).prefix { $0 != 0x0A }, as: UTF8.self)
        #expect(header.hasSuffix(Self.header))
        let plain = RegistryCSVWriter.files(try RegistryLoader.load(RegistryFixture().files()).registry)
        #expect(!String(decoding: plain["schools.csv"]!, as: UTF8.self).contains("qualified_teachers"))
    }

    @Test func theSampleCountyDeclaresResourcesAndLoadsBack() throws {
        let registry = SampleCounty(schools: 80, seed: 5).generate()
        let assessed = registry.schools.filter { !$0.isTeachingPoint }
        for school in assessed {
            for stage in SchoolResource.stages where school[stage].classes > 0 {
                // Every 40th school leaves its primary sports ground blank; the rest is complete.
                let blank = stage == .primary && Int(school.id.dropFirst())! % 40 == 0
                #expect(school[stage].resources.count == (blank ? 5 : 6), "\(school.id) \(stage)")
            }
        }
        #expect(registry.schools.filter(\.isTeachingPoint).allSatisfy { $0.primary.resources.isEmpty })
        #expect(try RegistryLoader.load(RegistryCSVWriter.files(registry)).registry == registry)
        // Deterministic: the same seed gives the same declarations.
        #expect(SampleCounty(schools: 80, seed: 5).generate().schools == registry.schools)
    }
}
