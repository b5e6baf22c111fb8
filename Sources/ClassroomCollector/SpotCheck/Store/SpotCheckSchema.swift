/// The spot-check tables, the last of ``CollectorSchema/migrations`` (after the collector's own).
enum SpotCheckSchema {
    static let migration =
        CollectorSchema.Migration(
            name: "v100-spotcheck",
            statements: [
                """
                CREATE TABLE spotcheck_draws (week TEXT PRIMARY KEY, count {INT} NOT NULL, order_count {INT} NOT NULL,
                  shortfall {INT} NOT NULL, commitment TEXT NOT NULL, reveal TEXT NOT NULL, rounds_after TEXT NOT NULL,
                  drawn_at {INT} NOT NULL, drawn_by TEXT NOT NULL, revealed_at {INT})
                """,
                """
                CREATE TABLE spotcheck_orders (id TEXT PRIMARY KEY, week TEXT NOT NULL, source TEXT NOT NULL,
                  position {INT} NOT NULL, round {INT} NOT NULL, teacher_id TEXT NOT NULL, teacher_name TEXT NOT NULL,
                  school_id TEXT NOT NULL, room_id TEXT NOT NULL, weekday {INT} NOT NULL, start_minute {INT} NOT NULL,
                  end_minute {INT} NOT NULL, subject TEXT NOT NULL, lesson_start {INT} NOT NULL, lesson_end {INT} NOT NULL,
                  created_at {INT} NOT NULL, dispatched_at {INT}, device_id TEXT, command_id TEXT, dispatch_note TEXT,
                  stream_key_hash TEXT UNIQUE, publish_started_at {INT}, publish_ended_at {INT}, publish_addr TEXT,
                  excused_at {INT}, excused_by TEXT, excuse_reason TEXT)
                """,
                "CREATE INDEX spotcheck_orders_week ON spotcheck_orders (week, school_id)",
                "CREATE INDEX spotcheck_orders_due ON spotcheck_orders (dispatched_at, lesson_start)",
                "CREATE INDEX events_kind ON events (kind, device_id, seq)",
            ])

    /// A draw's reveal stored as gzip (``StoredReveal``) in `reveal_gzip`, its `reveal` text then empty:
    /// the province's 64 MB reveal took most of the draw's store time. Draws stored before keep their text.
    static let revealGzip = CollectorSchema.Migration(
        name: "v680-spotcheck-reveal-gzip", statements: ["ALTER TABLE spotcheck_draws ADD COLUMN reveal_gzip {BLOB}"])
}
