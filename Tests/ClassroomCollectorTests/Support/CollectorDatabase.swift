import ClassroomCollector
import ClassroomTestSupport
import Foundation
import Logging
import PostgresNIO

/// A database of its own for a test that runs the real `classroom-collector` process: a SQLite file in
/// the test's folder, or a new database on the shared PostgreSQL (`CLASSROOMFLEET_TEST_POSTGRES_URL`),
/// read back directly with the `sqlite3` or `psql` command-line client.
struct CollectorDatabase: Sendable {
    let kind: StoreKind
    /// The `--db` URL of the collector.
    let url: String

    /// A fresh database; nil for PostgreSQL when `CLASSROOMFLEET_TEST_POSTGRES_URL` is unset (a plain
    /// `swift test`; the test command always sets it).
    static func make(_ kind: StoreKind, in dir: URL) async throws -> CollectorDatabase? {
        switch kind {
        case .sqlite:
            return CollectorDatabase(kind: kind, url: "sqlite:" + dir.appending(path: "collector.sqlite").path)
        case .postgres:
            guard let base = postgresTestURL else { return nil }
            let name = "cf_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            try await Self.administer(base, "CREATE DATABASE \(name)")
            return CollectorDatabase(kind: kind, url: replacingDatabase(base, with: name))
        }
    }

    /// Drops a PostgreSQL database (the SQLite file goes with the test's folder).
    func drop() async {
        guard kind == .postgres, let base = postgresTestURL, let name = URLComponents(string: url)?.path.dropFirst() else {
            return
        }
        try? await Self.administer(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func administer(_ base: String, _ sql: String) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let admin = try CollectorPostgresStore(url: base, logger: logger, maximumConnections: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.client.run() }
            defer { group.cancelAll() }
            try await admin.client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Rows of `sql`, each a list of its columns as text.
    func query(_ sql: String) throws -> [[String]] {
        let out: TestProcess.Output
        switch kind {
        case .sqlite:
            out = try TestProcess.run(URL(filePath: "/usr/bin/sqlite3"), ["-readonly", String(url.dropFirst(7)), sql])
        case .postgres:
            out = try TestProcess.run(URL(filePath: "/usr/bin/psql"), [url, "-X", "-q", "-t", "-A", "-F", "|", "-c", sql])
        }
        guard out.status == 0 else { throw TestSupportError("\(kind) query \(sql): \(out.stderr)") }
        return out.stdout.split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The sequence numbers stored for `device`, in order (one entry per row, so a copy would show).
    func storedSequenceNumbers(device: String) throws -> [Int64] {
        try query("SELECT seq FROM events WHERE device_id = '\(device)' ORDER BY seq").compactMap {
            $0.first.flatMap { Int64($0) }
        }
    }
}
