/// The versioned schema shared by both stores. Migrations are never edited once shipped: add one.
///
/// Each migration is a list of statements in a dialect-neutral form; `{INT}` becomes `INTEGER` on
/// SQLite and `BIGINT` on PostgreSQL, `{REAL}` a double (`REAL`, `DOUBLE PRECISION`), `{BLOB}` bytes
/// (`BLOB`, `BYTEA`), `{SERIAL}` an
/// auto-increment key, `{JSON:COLUMN:a.b}` the text at path `a.b` of the JSON in a text column
/// (`json_extract(COLUMN, '$.a.b')`, `(COLUMN::jsonb #>> '{a,b}')`).
enum CollectorSchema {
    struct Migration: Sendable {
        var name: String
        var statements: [String]
        /// Statements PostgreSQL runs instead of ``statements`` (a change only it has, such as
        /// partitioning); nil when both stores run the same ones.
        var postgresStatements: [String]? = nil
        /// The back-fill in Swift each store runs after ``statements``, in the migration's transaction
        /// (what SQL alone cannot compute from the stored events); nil for none.
        var backfill: Backfill? = nil
    }

    /// The back-fills written in Swift; each store's `migrate()` switches on them.
    enum Backfill: Sendable {
        /// `coverage_inventories` from the stored inventory events (``CoverageReadModel``).
        case coverageInventories
        /// `coverage_hours` from the stored contact and usage events (``CoverageReadModel``).
        case coverageHours
        /// `coverage_inventories.hardware` from the stored inventories' JSON (``CoverageReadModel``).
        case coverageHardware
    }

    static let migrations: [Migration] = [
        Migration(
            name: "v1-core",
            statements: [
                """
                CREATE TABLE operator_tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, school_id TEXT,
                  secret_hash TEXT NOT NULL UNIQUE, created_at {INT} NOT NULL, created_by TEXT, revoked_at {INT})
                """,
                """
                CREATE TABLE enrollment_tokens (id TEXT PRIMARY KEY, school_id TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
                  max_uses {INT} NOT NULL, uses {INT} NOT NULL, expires_at {INT} NOT NULL, created_at {INT} NOT NULL,
                  created_by TEXT NOT NULL)
                """,
                """
                CREATE TABLE devices (id TEXT PRIMARY KEY, school_id TEXT NOT NULL, room_id TEXT, hostname TEXT NOT NULL,
                  agent_version TEXT NOT NULL, public_key TEXT NOT NULL, credential_hash TEXT NOT NULL UNIQUE,
                  enrolled_at {INT} NOT NULL, last_seen_at {INT}, clock_skew_ms {INT}, revoked_at {INT})
                """,
                "CREATE INDEX devices_school ON devices (school_id)",
                """
                CREATE TABLE events (device_id TEXT NOT NULL, seq {INT} NOT NULL, kind TEXT NOT NULL, agent_at {INT} NOT NULL,
                  at {INT} NOT NULL, received_at {INT} NOT NULL, body TEXT NOT NULL, PRIMARY KEY (device_id, seq))
                """,
                """
                CREATE TABLE commands (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
                  issued_at {INT} NOT NULL, acknowledged_at {INT})
                """,
                "CREATE INDEX commands_device ON commands (device_id, acknowledged_at)",
                """
                CREATE TABLE audit_log (id {SERIAL}, at {INT} NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                  target TEXT NOT NULL, school_id TEXT, detail TEXT NOT NULL)
                """,
                "CREATE INDEX audit_school ON audit_log (school_id, at)",
                """
                CREATE TABLE schools (id TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL, township TEXT NOT NULL,
                  primary_classes {INT} NOT NULL, primary_students {INT} NOT NULL, junior_classes {INT} NOT NULL,
                  junior_students {INT} NOT NULL, high_classes {INT} NOT NULL, high_students {INT} NOT NULL)
                """,
                """
                CREATE TABLE rooms (id TEXT PRIMARY KEY, school_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
                  stage TEXT NOT NULL, class_name TEXT NOT NULL, declared TEXT)
                """,
                "CREATE TABLE teachers (id TEXT PRIMARY KEY, school_id TEXT NOT NULL, name TEXT NOT NULL, subjects TEXT NOT NULL)",
                """
                CREATE TABLE lessons (school_id TEXT NOT NULL, room_id TEXT NOT NULL, teacher_id TEXT NOT NULL,
                  weekday {INT} NOT NULL, start_minute {INT} NOT NULL, end_minute {INT} NOT NULL, subject TEXT NOT NULL)
                """,
            ]),
        SpotCheckSchema.migration,
        CoverageSchema.migration,
        Migration(
            name: "v300-operator-token-expiry",
            statements: ["ALTER TABLE operator_tokens ADD COLUMN expires_at {INT}"]),
        ConsoleSchema.migration,
        DeviceDirectorySchema.migration,
        LessonViewSchema.migration,
        RecordingSchema.migration,
        PatrolSchema.migration,
        EvaluationSchema.migration,
        TermCalendarSchema.migration,
        SchoolResourceSchema.migration,
        AlertSchema.migration,
        Migration(
            name: "v580-county-admin",
            statements: ["ALTER TABLE operator_tokens ADD COLUMN county TEXT"]),
        RegistryGenerationSchema.migration,
        CoverageReadModel.migration,
        EventPartitionSchema.migration,
        SpotCheckOrderEventsSchema.migration,
        CoverageReadModel.hoursMigration,
        DeviceDirectorySchema.hardwareBackfill,
        CoverageReadModel.hardwareMigration,
        CoverageReadModel.clusteredHoursMigration,
        SpotCheckSchema.revealGzip,
    ]

    static func sqlite(_ statement: String) -> String {
        jsonPaths(in: statement) { column, path in "json_extract(\(column), '$.\(path.joined(separator: "."))')" }
            .replacingOccurrences(of: "{INT}", with: "INTEGER").replacingOccurrences(of: "{REAL}", with: "REAL")
            .replacingOccurrences(of: "{BLOB}", with: "BLOB")
            .replacingOccurrences(of: "{SERIAL}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
    }

    static func postgres(_ statement: String) -> String {
        jsonPaths(in: statement) { column, path in "(\(column)::jsonb #>> '{\(path.joined(separator: ","))}')" }
            .replacingOccurrences(of: "{INT}", with: "BIGINT")
            .replacingOccurrences(of: "{REAL}", with: "DOUBLE PRECISION")
            .replacingOccurrences(of: "{BLOB}", with: "BYTEA")
            .replacingOccurrences(of: "{SERIAL}", with: "BIGSERIAL PRIMARY KEY")
    }

    /// `statement` with every `{JSON:COLUMN:a.b}` replaced by `dialect(COLUMN, ["a", "b"])`.
    static func jsonPaths(in statement: String, _ dialect: (Substring, [Substring]) -> String) -> String {
        var out = ""
        var rest = statement[...]
        while let open = rest.range(of: "{JSON:"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            out += rest[..<open.lowerBound]
            let parts = rest[open.upperBound..<close].split(separator: ":", maxSplits: 1)
            precondition(parts.count == 2, "a {JSON:COLUMN:path} placeholder without its path: \(rest[open.lowerBound...close])")
            out += dialect(parts[0], parts[1].split(separator: "."))
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
