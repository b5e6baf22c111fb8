import ClassroomCore
import Testing

@testable import ClassroomCollector

/// The schools' declared resources (migration `v550-school-resources`) on both stores.
@Suite("CollectorStore: declared school resources")
struct SchoolResourceStoreTests {
    static let audit = AuditEntry(at: 1, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")

    /// The server tests' registry with resources: S1 (nine-year) declares both stages, its junior
    /// sports ground blank; S2 declares a fractional area and a zero.
    static func registry() throws -> Registry {
        var r = try TestRegistry.registry()
        let s1 = r.schools.firstIndex { $0.id == "S1" }!
        let s2 = r.schools.firstIndex { $0.id == "S2" }!
        r.schools[s1].primary.resources = [
            .qualifiedTeachers: 11, .backboneTeachers: 3, .peArtTeachers: 2, .teachingArea: 1100.5, .sportsArea: 1800,
            .equipmentValue: 480_000,
        ]
        r.schools[s1].junior.resources = [
            .qualifiedTeachers: 8, .backboneTeachers: 2, .peArtTeachers: 2, .teachingArea: 870, .equipmentValue: 375_000.25,
        ]
        r.schools[s2].primary.resources = [.backboneTeachers: 0, .teachingArea: 2160.75]
        return r
    }

    @Test("resources round-trip; a blank stays blank; a re-import without them clears them", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let declared = try Self.registry()
            _ = try await store.replaceRegistry(declared, audit: Self.audit)
            let back = try await store.registry()
            #expect(back == RegistryRows.canonical(declared))
            let s1 = try #require(back.schools.first { $0.id == "S1" })
            #expect(s1.junior.resources[.sportsArea] == nil)
            #expect(s1.junior.resources[.equipmentValue] == 375_000.25)
            #expect(back.schools.first { $0.id == "S2" }?.primary.resources[.backboneTeachers] == 0)
            _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: Self.audit)
            #expect(try await store.registry().schools.allSatisfy { $0.primary.resources.isEmpty && $0.junior.resources.isEmpty })
        }
    }

    @Test func theMigrationAddsOneNullableColumnPerStageAndResource() throws {
        #expect(SchoolResourceSchema.migration.statements.count == 12)
        #expect(
            SchoolResourceSchema.migration.statements.first.map(CollectorSchema.postgres)
                == "ALTER TABLE schools ADD COLUMN primary_qualified_teachers DOUBLE PRECISION")
        // After the term calendar's, before any later one (v560…): the order migrations run in.
        let names = CollectorSchema.migrations.map(\.name)
        let at = try #require(names.firstIndex(of: "v550-school-resources"))
        #expect(names[at - 1] == "v540-term-calendar")
        #expect(names[(at + 1)...].allSatisfy { $0 > "v550" })
    }
}
