import Foundation
import GRDB

/// Online backup and restore of the collector's SQLite database (SQLite's backup API: consistent
/// while the collector keeps writing; WAL included). PostgreSQL is backed up with its own tools
/// (`pg_dump -Fc`, `pg_restore`; Deploy/guides).
public enum SQLiteBackup {
    /// The path of a `sqlite:PATH` URL; an error for anything else (naming what to use instead).
    public static func path(of url: String) throws -> String {
        guard url.hasPrefix("sqlite:") else {
            throw StoreError(
                code: "not_sqlite",
                message: "backup and restore copy a SQLite database; for '\(url.prefix(11))…' use pg_dump -Fc / pg_restore")
        }
        var path = String(url.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
        guard !path.isEmpty else { throw StoreError(code: "bad_url", message: "--db sqlite:PATH needs a path") }
        return path
    }

    /// Copies the database at `source` (which must exist) into a new file `destination`, written
    /// beside it and renamed into place; answers the number of applied migrations it holds.
    @discardableResult
    public static func backup(from source: String, to destination: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError(code: "not_found", message: "\(source): no such database")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(code: "exists", message: "\(destination) exists already; name a new file")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let from = try DatabaseQueue(path: source, configuration: configuration)
        let migrations = try collectorMigrations(in: from, path: source)
        let temporary = destination + ".partial"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let to = try DatabaseQueue(path: temporary)
            try from.backup(to: to)
            try to.close()
            try FileManager.default.moveItem(atPath: temporary, toPath: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return migrations
    }

    /// Replaces the database at `destination` with the backup `source` (checked to be a collector
    /// database first). Stop the collector before: a running one keeps its own connection.
    @discardableResult
    public static func restore(from source: String, to destination: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError(code: "not_found", message: "\(source): no such backup")
        }
        let from: DatabaseQueue
        do { from = try DatabaseQueue(path: source, configuration: configuration) } catch {
            throw StoreError(code: "not_a_database", message: "\(source): not a SQLite database (\(error))")
        }
        let migrations = try collectorMigrations(in: from, path: source)
        guard migrations > 0 else {
            throw StoreError(code: "not_a_backup", message: "\(source): not a collector database (no migrations applied)")
        }
        let directory = (destination as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let to = try DatabaseQueue(path: destination)
        try from.backup(to: to)
        try to.close()
        return migrations
    }

    /// How many collector migrations `db` has applied; an error when it is not a collector database.
    static func collectorMigrations(in db: DatabaseQueue, path: String) throws -> Int {
        do {
            return try db.read { db in
                guard try db.tableExists("grdb_migrations") else { return 0 }
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0
            }
        } catch {
            throw StoreError(code: "not_a_database", message: "\(path): not a SQLite database (\(error))")
        }
    }
}
