import PostgresNIO
import Synchronization
import Testing

@testable import ClassroomCollector

/// The PostgreSQL test fixture itself: a test's database is dropped when the test fails too (they
/// used to pile up on the server, one per failed test), the test's own error is the one reported, and
/// a PostgreSQL error is described with the server's message.
@Suite struct PostgresFixtureTests {
    struct Planned: Error {}

    /// Whether a database called `name` exists on the test server.
    static func exists(_ name: String) async throws -> Bool {
        try await onServer(try #require(postgresTestURL)) { client in
            let rows = try await client.query("SELECT count(*) FROM pg_database WHERE datname = \(name)")
            for try await count in rows.decode(Int.self) { return count == 1 }
            return false
        }
    }

    /// The test database's name, read inside it.
    static func currentDatabase(_ store: CollectorPostgresStore) async throws -> String {
        for try await name in try await store.client.query("SELECT current_database()").decode(String.self) {
            return name
        }
        throw Planned()
    }

    @Test func aFailingTestsDatabaseIsDroppedAndItsErrorReported() async throws {
        guard postgresTestURL != nil else { return }
        let seen = Mutex<String?>(nil)
        await #expect(throws: Planned.self) {
            try await withUnmigratedPostgres { store in
                let name = try await Self.currentDatabase(store)
                seen.withLock { $0 = name }
                #expect(try await Self.exists(name))
                throw Planned()
            }
        }
        let name = try #require(seen.withLock { $0 })
        #expect(try await !Self.exists(name), "\(name) is left on the server")
    }

    @Test func aPostgreSQLErrorNamesTheServersMessage() async throws {
        guard postgresTestURL != nil else { return }
        let error = await #expect(throws: PostgresTestFailure.self) {
            try await withUnmigratedPostgres { store in
                _ = try await store.client.query("SELECT * FROM no_such_table")
            }
        }
        #expect(String(describing: error).contains("no_such_table"), "\(String(describing: error))")
    }
}
