import ClassroomCore
import ClassroomTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import ClassroomCollector

/// The registry held in memory between imports (``RegistryCache``, migration `v590-registry-generation`)
/// on both stores, with two stores on one database standing for two collectors.
@Suite("CollectorStore: registry cache")
struct RegistryCacheTests {
    static let audit = AuditEntry(at: 1, actor: "test", action: "registry.import", target: "t", schoolID: nil, detail: "")

    /// The server tests' registry without school S2 and its room and teacher.
    static func smaller() throws -> Registry {
        var r = try TestRegistry.registry()
        r.schools.removeAll { $0.id == "S2" }
        r.rooms.removeAll { $0.schoolID == "S2" }
        r.teachers.removeAll { $0.schoolID == "S2" }
        r.lessons.removeAll { $0.schoolID == "S2" }
        return r
    }

    @Test("a second registry() answers the same content without reading the rows again", arguments: StoreKind.allCases)
    func secondReadIsCached(kind: StoreKind) async throws {
        try await withTwoStores(kind) { store, _, _ in
            #expect(try await generation(store) == 0)
            _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: Self.audit)
            #expect(try await generation(store) == 1)
            let first = try await store.registry()
            #expect(first == RegistryRows.canonical(try TestRegistry.registry()))
            #expect(try cache(store).loads == 1)
            #expect(try await store.registry() == first)
            #expect(try await store.termCalendar() == first.calendar)
            #expect(try cache(store).loads == 1)
        }
    }

    @Test("an import through the same store invalidates it", arguments: StoreKind.allCases)
    func importInvalidates(kind: StoreKind) async throws {
        try await withTwoStores(kind) { store, _, _ in
            _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: Self.audit)
            #expect(try await store.registry().schools.map(\.id) == ["S1", "S2"])
            _ = try await store.replaceRegistry(try Self.smaller(), audit: Self.audit)
            #expect(try await store.registry() == RegistryRows.canonical(try Self.smaller()))
            #expect(try await store.registry().rooms.map(\.id) == ["R1", "R2"])
            #expect(try cache(store).loads == 2)
        }
    }

    @Test("an import through another collector on the same database invalidates this one's", arguments: StoreKind.allCases)
    func otherCollectorInvalidates(kind: StoreKind) async throws {
        try await withTwoStores(kind) { a, b, _ in
            _ = try await a.replaceRegistry(try TestRegistry.registry(), audit: Self.audit)
            #expect(try await a.registry().schools.count == 2)
            #expect(try await b.registry().schools.count == 2)
            _ = try await b.replaceRegistry(try Self.smaller(), audit: Self.audit)
            #expect(try await a.registry() == RegistryRows.canonical(try Self.smaller()))
            #expect(try await a.registry().schools.map(\.id) == ["S1"])
            #expect(try cache(a).loads == 2)
            #expect(try await generation(a) == 2)
        }
    }

    @Test("a failed import rolls back its generation bump: same generation, same cached registry", arguments: StoreKind.allCases)
    func failedImportKeepsTheCache(kind: StoreKind) async throws {
        try await withTwoStores(kind) { store, _, _ in
            _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: Self.audit)
            let before = try await store.registry()
            var broken = try Self.smaller()
            broken.schools.append(broken.schools[0])  // the same school id twice: the primary key refuses it
            await #expect(throws: (any Error).self) { try await store.replaceRegistry(broken, audit: Self.audit) }
            #expect(try await generation(store) == 1)
            #expect(try await store.registry() == before)
            #expect(try cache(store).loads == 1)
        }
    }

    @Test(
        "migrating a store that holds a registry starts its generation at 1 and keeps it readable", arguments: StoreKind.allCases)
    func migrationOfAStoreWithARegistry(kind: StoreKind) async throws {
        try await withTwoStores(kind) { store, _, url in
            _ = try await store.replaceRegistry(try TestRegistry.registry(), audit: Self.audit)
            // The store as a collector before v590 left it: the registry's rows, no generation.
            try await execute(store, "DROP TABLE registry_generation")
            try await execute(
                store,
                kind == .sqlite
                    ? "DELETE FROM grdb_migrations WHERE identifier = 'v590-registry-generation'"
                    : "DELETE FROM schema_migrations WHERE name = 'v590-registry-generation'")
            try await withOpened(url) { upgraded in
                try await upgraded.migrate()
                #expect(try await generation(upgraded) == 1)
                #expect(try await upgraded.registry() == RegistryRows.canonical(try TestRegistry.registry()))
                _ = try await upgraded.replaceRegistry(try Self.smaller(), audit: Self.audit)
                #expect(try await generation(upgraded) == 2)
            }
        }
    }

    @Test func anOlderReadFinishingLastDoesNotReplaceANewerOne() throws {
        let cache = RegistryCache()
        let newer = try Self.smaller()
        cache.keep(newer, at: 3)
        cache.keep(try TestRegistry.registry(), at: 2)
        #expect(cache.registry(at: 3) == newer)
        #expect(cache.registry(at: 2) == nil)
        #expect(cache.loads == 2)
        cache.invalidate()
        #expect(cache.registry(at: 3) == nil)
    }

    @Test func theMigrationComesAfterTheCountyAdmin() {
        let names = CollectorSchema.migrations.map(\.name)
        #expect(names.filter { $0 == "v590-registry-generation" }.count == 1)
        #expect(names.firstIndex(of: "v590-registry-generation")! > names.firstIndex(of: "v580-county-admin")!)
    }
}

// MARK: Helpers

private func cache(_ store: any CollectorStore) throws -> RegistryCache {
    if let s = store as? CollectorSQLiteStore { return s.registryCache }
    return try #require(store as? CollectorPostgresStore).registryCache
}

private func generation(_ store: any CollectorStore) async throws -> Int64 {
    if let s = store as? CollectorSQLiteStore { return try await s.registryGeneration() }
    return try await #require(store as? CollectorPostgresStore).registryGeneration()
}

private var quietLogger: Logger {
    var logger = Logger(label: "test")
    logger.logLevel = .error
    return logger
}

/// Opens one more store on `url` (another collector process), its pool running for `body`.
private func withOpened(_ url: String, _ body: @Sendable (any CollectorStore) async throws -> Void) async throws {
    let opened = try StoreURL.open(url, logger: quietLogger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        if let run = opened.run { group.addTask { await run() } }
        defer { group.cancelAll() }
        try await body(opened.store)
    }
}

/// Two migrated stores on one fresh database (two collectors sharing it) and the database's URL;
/// skipped for PostgreSQL when `CLASSROOMFLEET_TEST_POSTGRES_URL` is unset (a plain `swift test`).
private func withTwoStores(
    _ kind: StoreKind, _ body: @Sendable (any CollectorStore, any CollectorStore, String) async throws -> Void
) async throws {
    let dir = try TestProcess.temporaryDirectory("regcache")
    defer { try? FileManager.default.removeItem(at: dir) }
    guard let database = try await CollectorDatabase.make(kind, in: dir) else { return }
    do {
        try await withOpened(database.url) { a in
            try await withOpened(database.url) { b in
                try await a.migrate()
                try await b.migrate()
                try await body(a, b, database.url)
            }
        }
    } catch {
        await database.drop()
        throw error
    }
    await database.drop()
}
