import ClassroomCore
import ClassroomTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import ClassroomCollector

/// Which store a test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A fresh, migrated store for one test: a temporary SQLite file, or a new database on the
/// PostgreSQL named by `CLASSROOMFLEET_TEST_POSTGRES_URL` (set by scripts/test.d/10-postgres.sh).
///
/// Returns nil for PostgreSQL only when that variable is unset (a plain `swift test` without the
/// test command); the test command always sets it.
func withStore(_ kind: StoreKind, _ body: @Sendable (any CollectorStore) async throws -> Void) async throws {
    var logger = Logger(label: "test")
    // PostgresNIO warns when a query is queued before the pool's run() task has started; harmless here.
    logger.logLevel = .error
    switch kind {
    case .sqlite:
        let dir = try TestProcess.temporaryDirectory("collector")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CollectorSQLiteStore(path: dir.appending(path: "c.sqlite").path)
        try await store.migrate()
        try await body(store)
    case .postgres:
        guard let base = postgresTestURL else { return }
        try await withPostgresDatabase(base: base, logger: logger) { store in
            try await store.migrate()
            try await body(store)
        }
    }
}

/// A new, empty PostgreSQL database (no migrations run) for one test; skipped without the test URL.
func withUnmigratedPostgres(_ body: @Sendable (CollectorPostgresStore) async throws -> Void) async throws {
    guard let base = postgresTestURL else { return }
    var logger = Logger(label: "test")
    logger.logLevel = .error
    try await withPostgresDatabase(base: base, logger: logger, body)
}

/// A store on a database of its own, created on the server of `base` for `body` and dropped after,
/// also when `body` throws.
private func withPostgresDatabase(
    base: String, logger: Logger, _ body: @Sendable (CollectorPostgresStore) async throws -> Void
) async throws {
    let name = "cf_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
    // Any PostgreSQL error on the way (the database's creation, the test, the drop) is described in full.
    do {
        try await onServer(base, logger: logger, "CREATE DATABASE \(name)")
        var failure: (any Error)?
        do {
            let store = try CollectorPostgresStore(
                url: replacingDatabase(base, with: name), logger: logger, connectTimeout: testConnectTimeout)
            try await withThrowingTaskGroup(of: Void.self) { group in
                defer { group.cancelAll() }
                group.addTask { await store.client.run() }
                try await body(store)
            }
        } catch {
            failure = error
        }
        // The test's pool is closed by now.
        try await onServer(base, logger: logger, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        if let failure { throw failure }
    } catch let error as PSQLError {
        throw PostgresTestFailure(error)
    }
}

/// `work` with a client of its own on the server of `base` (its `postgres` database, one connection),
/// closed after.
func onServer<T: Sendable>(
    _ base: String, logger: Logger = Logger(label: "test"), _ work: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let admin = try CollectorPostgresStore(url: base, logger: logger, maximumConnections: 1, connectTimeout: testConnectTimeout)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        defer { group.cancelAll() }
        group.addTask { await admin.client.run() }
        return try await work(admin.client)
    }
}

/// Runs `sql` on the server of `base`.
private func onServer(_ base: String, logger: Logger, _ sql: String) async throws {
    _ = try await onServer(base, logger: logger) { try await $0.query(PostgresQuery(unsafeSQL: sql)) }
}

/// A PostgreSQL error that escaped a test, described in full: PSQLError's own description hides the
/// server's message and the query ("PSQLError – Generic description to prevent accidental leakage of
/// sensitive data"), so a failure in CI said nothing of its cause.
struct PostgresTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ error: PSQLError) { description = "PostgreSQL: \(String(reflecting: error))" }
}

/// Runs one SQL statement on the store's database (tests that stage an older schema or clear a read model).
func execute(_ store: any CollectorStore, _ sql: String) async throws {
    if let s = store as? CollectorSQLiteStore {
        try await s.pool.write { try $0.execute(sql: sql) }
    } else {
        try await #require(store as? CollectorPostgresStore).client.query(PostgresQuery(unsafeSQL: sql))
    }
}

/// The parallel suites, builds and benchmarks share two cores, and every test database's CREATE and DROP
/// force a checkpoint: a connection may take longer to open than postgres-nio's 10 s default, which
/// failed a test now and then with a bare PSQLError. Tests wait up to a minute instead.
let testConnectTimeout: Duration = .seconds(60)

var postgresTestURL: String? {
    let value = ProcessInfo.processInfo.environment["CLASSROOMFLEET_TEST_POSTGRES_URL"]
    return value?.isEmpty == false ? value : nil
}

func replacingDatabase(_ url: String, with name: String) -> String {
    var components = URLComponents(string: url)!
    components.path = "/" + name
    return components.string!
}

/// The small registry used by the server tests: two schools S1 (rooms R1, R2) and S2 (room R3).
enum TestRegistry {
    static let schools = """
        school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students
        S1,龙树九年一贯制学校,鲁甸县,龙树镇,6,240,3,150,0,0
        S2,水磨中心小学,鲁甸县,水磨镇,12,480,0,0,0,0
        """
    static let rooms = """
        room_id,school_id,name,kind,stage,class_name,declared
        R1,S1,一年级1班,classroom,primary,一年级1班,display;touch
        R2,S1,录播教室,recording,shared,,display;touch;camera;microphone;speaker;network
        R3,S2,"三年级(2)班, 东楼",classroom,primary,三年级2班,
        """
    static let teachers = """
        teacher_id,school_id,name,subjects
        T1,S1,张伟,语文;数学
        T2,S1,李娜,英语
        T3,S2,王芳,数学
        """
    static let timetable = """
        school_id,room_id,teacher_id,weekday,start,end,subject
        S1,R1,T1,1,08:00,08:40,语文
        S1,R2,T2,2,10:00,10:40,英语
        S2,R3,T3,3,8:00,8:40,数学
        """

    static func files(rooms: String = rooms) -> [String: [UInt8]] {
        [
            "schools.csv": Array(schools.utf8), "rooms.csv": Array(rooms.utf8), "teachers.csv": Array(teachers.utf8),
            "timetable.csv": Array(timetable.utf8),
        ]
    }

    static func registry() throws -> Registry { try RegistryLoader.load(files()).registry }
}
