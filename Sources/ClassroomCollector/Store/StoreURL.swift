import Foundation
import Logging

/// Opens the store named by a `--db` URL: `sqlite:PATH` or `postgres://user:password@host:port/db`.
public enum StoreURL {
    /// An opened store and what must run beside it (the PostgreSQL pool) while it is used.
    public struct Opened: Sendable {
        public var store: any CollectorStore
        /// Runs the store's connection pool until cancelled; nil for SQLite.
        public var run: (@Sendable () async -> Void)?
    }

    public static func open(_ url: String, logger: Logger) throws -> Opened {
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw StoreError(code: "bad_url", message: "--db sqlite:PATH needs a path") }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            return Opened(store: try CollectorSQLiteStore(path: path), run: nil)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let store = try CollectorPostgresStore(url: url, logger: logger)
            return Opened(store: store, run: { await store.client.run() })
        }
        throw StoreError(code: "bad_url", message: "--db must be sqlite:PATH or postgres://…, not '\(url)'")
    }
}
