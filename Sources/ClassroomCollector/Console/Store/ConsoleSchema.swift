/// The console's tables: a migration of its own, after the collector's, never edited once shipped.
enum ConsoleSchema {
    static let migration = CollectorSchema.Migration(
        name: "v300-console",
        statements: [
            """
            CREATE TABLE console_users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
              school_id TEXT, password_hash TEXT NOT NULL, created_at {INT} NOT NULL, created_by TEXT NOT NULL,
              disabled_at {INT})
            """,
            """
            CREATE TABLE console_sessions (secret_hash TEXT PRIMARY KEY, method TEXT NOT NULL, subject_id TEXT NOT NULL,
              csrf_token TEXT NOT NULL, created_at {INT} NOT NULL, last_seen_at {INT} NOT NULL, address TEXT NOT NULL)
            """,
            "CREATE INDEX console_sessions_subject ON console_sessions (subject_id)",
            "CREATE TABLE console_sign_in_failures (address TEXT NOT NULL, at {INT} NOT NULL)",
            "CREATE INDEX console_sign_in_failures_address ON console_sign_in_failures (address, at)",
        ])
}
