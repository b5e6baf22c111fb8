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
    public init(url: String, logger: Logger, maximumConnections: Int = 20) throws {
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

    static func audit(_ connection: PostgresConnection, _ e: AuditEntry, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO audit_log (at, actor, action, target, school_id, detail)
            VALUES (\(e.at), \(e.actor), \(e.action), \(e.target), \(e.schoolID), \(e.detail))
            """, logger: logger)
    }

    /// Runs `body` in a transaction and returns its value; errors come out unwrapped.
    func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    static func operatorToken(_ r: PostgresRandomAccessRow) throws -> OperatorTokenRecord {
        OperatorTokenRecord(
            id: try r["id"].decode(String.self), name: try r["name"].decode(String.self),
            role: OperatorRole(rawValue: try r["role"].decode(String.self)) ?? .bureauViewer,
            schoolID: try r["school_id"].decode(String?.self), secretHash: try r["secret_hash"].decode(String.self),
            createdAt: try r["created_at"].decode(Int64.self), createdBy: try r["created_by"].decode(String?.self),
            revokedAt: try r["revoked_at"].decode(Int64?.self), expiresAt: try r["expires_at"].decode(Int64?.self),
            county: try r["county"].decode(String?.self))
    }

    static func device(_ r: PostgresRandomAccessRow) throws -> DeviceRecord {
        DeviceRecord(
            id: try r["id"].decode(String.self), schoolID: try r["school_id"].decode(String.self),
            roomID: try r["room_id"].decode(String?.self), hostname: try r["hostname"].decode(String.self),
            agentVersion: try r["agent_version"].decode(String.self), publicKey: try r["public_key"].decode(String.self),
            credentialHash: try r["credential_hash"].decode(String.self), enrolledAt: try r["enrolled_at"].decode(Int64.self),
            lastSeenAt: try r["last_seen_at"].decode(Int64?.self), clockSkewMillis: try r["clock_skew_ms"].decode(Int64?.self),
            revokedAt: try r["revoked_at"].decode(Int64?.self))
    }
}
