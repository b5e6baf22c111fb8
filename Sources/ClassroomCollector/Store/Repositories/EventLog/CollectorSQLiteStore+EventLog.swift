import ClassroomCore
import GRDB

extension CollectorSQLiteStore {

    public func appendEvents(_ events: [StoredEvent]) async throws -> AppendOutcome {
        guard !events.isEmpty else { return AppendOutcome(inserted: 0, duplicates: 0) }
        return try await pool.write { db in
            let appended = try Self.append(db, events)
            try Self.updateHardware(db, events)
            try Self.linkOrderEvents(db, events)
            try Self.updateCoverageReadModels(db, events, appended)
            return appended
        }
    }

    /// Uploads arriving together share one transaction (``GroupCommit``), each in its own savepoint:
    /// one sync for all of them, and each still all or nothing. Each caller is answered once the
    /// transaction is committed (`synchronous = FULL`).
    public func ingest(_ events: [StoredEvent], deviceID: String, at: Int64, clockSkewMillis: Int64) async throws
        -> IngestOutcome
    {
        let pool = pool
        let upload = IngestUpload(events: events, deviceID: deviceID, at: at, clockSkewMillis: clockSkewMillis)
        return try await ingestGroup.submit(upload) { uploads in
            do {
                return try await pool.write { db in
                    // Alone: the transaction is the upload's own.
                    if uploads.count == 1 { return [.success(try Self.ingest(db, uploads[0]))] }
                    return try uploads.map { u in
                        do {
                            var outcome: IngestOutcome?
                            try db.inSavepoint {
                                outcome = try Self.ingest(db, u)
                                return .commit
                            }
                            return outcome.map { .success($0) } ?? .failure(GroupCommitError())
                        } catch {
                            // SQLite ended the whole transaction (I/O error, disk full): none of the
                            // uploads may be acknowledged, and what follows must not run outside it.
                            guard db.isInsideTransaction else { throw error }
                            return .failure(error)
                        }
                    }
                }
            } catch {
                return uploads.map { _ in .failure(error) }
            }
        }
    }

    /// One upload inside the write transaction `db`.
    static func ingest(_ db: Database, _ u: IngestUpload) throws -> IngestOutcome {
        let appended = try append(db, u.events)
        try updateHardware(db, u.events)
        try linkOrderEvents(db, u.events)
        try updateCoverageReadModels(db, u.events, appended)
        // Cached statements: prepared once per connection, not once per upload.
        try db.cachedStatement(sql: "UPDATE devices SET last_seen_at = ?, clock_skew_ms = ? WHERE id = ?").execute(
            arguments: [u.at, u.clockSkewMillis, u.deviceID])
        let highest =
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(seq) FROM events WHERE device_id = ?"), arguments: [u.deviceID]) ?? 0
        return IngestOutcome(appended: appended, highestSeq: highest)
    }

    /// Multi-row inserts of up to 500 rows (3,500 parameters, well under SQLite's limit); duplicates
    /// skipped. The statements are prepared once per connection (GRDB's statement cache): a batch of
    /// 1,000 events runs the same 500-row statement twice, its parameters bound directly (``RawBindings``).
    static func append(_ db: Database, _ events: [StoredEvent]) throws -> AppendOutcome {
        var inserted = 0
        for start in stride(from: 0, to: events.count, by: 500) {
            let chunk = events[start..<min(start + 500, events.count)]
            let sql = chunk.count == 500 ? insertFullChunkSQL : insertEventsSQL(rows: chunk.count)
            let statement = try db.cachedStatement(sql: sql)
            try RawBindings.execute(db, statement) { b in
                for e in chunk {
                    try b.text(e.deviceID)
                    try b.int(e.seq)
                    try b.text(e.kind)
                    try b.int(e.agentAt)
                    try b.int(e.at)
                    try b.int(e.receivedAt)
                    try b.text(e.body)
                }
            }
            inserted += db.changesCount
        }
        return AppendOutcome(inserted: inserted, duplicates: events.count - inserted)
    }

    /// The text of a full chunk's statement, built once (it is the statement cache's key).
    static let insertFullChunkSQL = insertEventsSQL(rows: 500)

    static func insertEventsSQL(rows: Int) -> String {
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        return "INSERT OR IGNORE INTO events (device_id, seq, kind, agent_at, at, received_at, body) VALUES \(values)"
    }

    public func highestEventSeq(deviceID: String) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events WHERE device_id = ?", arguments: [deviceID]) ?? 0
        }
    }

    public func events(deviceID: String, afterSeq: Int64, limit: Int) async throws -> [StoredEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM events WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [deviceID, afterSeq, limit]
            ).map {
                StoredEvent(
                    deviceID: $0["device_id"], seq: $0["seq"], kind: $0["kind"], agentAt: $0["agent_at"], at: $0["at"],
                    receivedAt: $0["received_at"], body: $0["body"])
            }
        }
    }
}
