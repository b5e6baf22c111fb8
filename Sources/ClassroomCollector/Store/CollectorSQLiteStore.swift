import ClassroomCore
import GRDB

/// The embedded store: one SQLite file in WAL mode through GRDB, the zero-setup default.
///
/// - Important: owns its `DatabasePool`; migrations run in ``migrate()`` (the server runs it at start).
public struct CollectorSQLiteStore: CollectorStore {
    let pool: DatabasePool
    /// The registry between imports (``RegistryCache``), shared by this store's copies.
    let registryCache = RegistryCache()
    /// Concurrent uploads written in one transaction (``GroupCommit``), shared by this store's copies.
    let ingestGroup = GroupCommit<IngestUpload, IngestOutcome>()

    /// Opens (creating when missing) the database file at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: config)
    }

    public func migrate() async throws { try await migrate(CollectorSchema.migrations[...]) }

    /// Applies the pending ones of `migrations` (tests stop before a migration to build the schema it converts).
    func migrate(_ migrations: ArraySlice<CollectorSchema.Migration>) async throws {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.name) { db in
                for statement in migration.statements { try db.execute(sql: CollectorSchema.sqlite(statement)) }
                switch migration.backfill {
                case .coverageInventories?: try Self.backfillCoverageReadModels(db, inventories: true, hours: false)
                case .coverageHours?: try Self.backfillCoverageReadModels(db, inventories: false, hours: true)
                case .coverageHardware?: try Self.backfillCoverageHardware(db)
                case nil: break
                }
            }
        }
        try migrator.migrate(pool)
    }
}

/// One upload's arguments to ``CollectorSQLiteStore/ingest(_:deviceID:at:clockSkewMillis:)``.
struct IngestUpload: Sendable {
    var events: [StoredEvent]
    var deviceID: String
    var at: Int64
    var clockSkewMillis: Int64
}
