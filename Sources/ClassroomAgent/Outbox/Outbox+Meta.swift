import FoundationEssentials

extension Outbox {
    /// The schema, one entry per `user_version`; shipped entries are never edited.
    static let migrations = [
        """
        CREATE TABLE events(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            droppable INTEGER NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX events_droppable ON events(droppable, seq);
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE commands(
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'received',
            result TEXT
        );
        """,
        // A command is marked started (durably) before it is acted on: one found started at start-up
        // was interrupted by a crash and is failed instead of run again.
        "ALTER TABLE commands ADD COLUMN started_at INTEGER;",
    ]

    func metaNow(_ key: String) throws(SQLiteError) -> String? {
        let stmt = try db.prepare("SELECT value FROM meta WHERE key = ?")
        try stmt.bind([.text(key)])
        return try stmt.step() ? stmt.text(0) : nil
    }

    func setMetaNow(_ key: String, _ value: String) throws(SQLiteError) {
        try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)").run([.text(key), .text(value)])
    }

    /// A status value (`last_upload`, `last_error`, …); nil when never set.
    public func meta(_ key: String) -> String? { try? metaNow(key) }

    /// Records a status value; failures (disk full) are logged, never fatal.
    public func setMeta(_ key: String, _ value: String) {
        do {
            try setMetaNow(key, value)
        } catch {
            logger.warning("cannot record status", metadata: ["key": "\(key)", "error": "\(error)"])
        }
    }

    /// The `at` of the oldest queued event.
    public var oldestQueuedAt: Int64? { try? db.scalar("SELECT min(at) FROM events") }
}
