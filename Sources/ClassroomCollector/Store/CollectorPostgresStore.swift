import ClassroomCore
import Foundation
import Logging
import PostgresNIO

/// The production store: PostgreSQL through a pooled `PostgresClient` (postgres-nio).
///
/// - Important: the pool runs in ``client``'s `run()`, which the owner keeps running (a service
///   of the collector's group) for as long as the store is used.
public struct CollectorPostgresStore: CollectorStore {
    public let client: PostgresClient
    let logger: Logger
    /// The registry between imports (``RegistryCache``), shared by this store's copies.
    let registryCache = RegistryCache()

    /// Parses `postgres://user:password@host:port/database` (`?sslmode=disable|prefer|require`).
    /// `connectTimeout`: how long opening one connection may take (postgres-nio's default, 10 s).
    public init(url: String, logger: Logger, maximumConnections: Int = 20, connectTimeout: Duration = .seconds(10)) throws {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw StoreError(code: "bad_url", message: "cannot read PostgreSQL URL (postgres://user:password@host:port/db)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    public func migrate() async throws { try await migrate(CollectorSchema.migrations[...]) }

    /// Applies the pending ones of `migrations` (tests stop before a migration to build the schema it converts).
    func migrate(_ migrations: ArraySlice<CollectorSchema.Migration>) async throws {
        try await client.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            logger: logger)
        for migration in migrations {
            let failure: (any Error)? = try await client.withTransaction(logger: logger) { connection in
                // One collector migrates at a time; the others wait here and then find it done.
                try await connection.query("SELECT pg_advisory_xact_lock(7467101)", logger: logger)
                let done = try await connection.query(
                    "SELECT 1 FROM schema_migrations WHERE name = \(migration.name)", logger: logger
                ).collect()
                guard done.isEmpty else { return nil }
                for statement in migration.postgresStatements ?? migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: CollectorSchema.postgres(statement)), logger: logger)
                }
                switch migration.backfill {
                case .coverageInventories?:
                    try await Self.backfillCoverageReadModels(connection, inventories: true, hours: false, logger: logger)
                case .coverageHours?:
                    try await Self.backfillCoverageReadModels(connection, inventories: false, hours: true, logger: logger)
                case .coverageHardware?:
                    try await Self.backfillCoverageHardware(connection, logger: logger)
                case nil: break
                }
                try await connection.query("INSERT INTO schema_migrations (name) VALUES (\(migration.name))", logger: logger)
                return nil
            }
            if let failure { throw failure }
        }
    }

    // MARK: Helpers

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Runs `body` in a transaction and returns its value; errors come out unwrapped.
    func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }
}
