import GRDB

extension CollectorSQLiteStore {
    public func insertRecording(_ r: RecordingStart, at: Int64, audit: AuditEntry) async throws -> RecordingRecord? {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO recordings (order_id, school_id, stream_name, source_path, state, bytes, created_at)
                    VALUES (?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (source_path) DO NOTHING
                    """,
                arguments: [r.orderID, r.schoolID, r.streamName, r.sourcePath, at])
            guard db.changesCount == 1 else { return nil }
            let id = db.lastInsertedRowID
            try Self.insertAudit(db, audit)
            return RecordingRecord(
                id: id, orderID: r.orderID, schoolID: r.schoolID, streamName: r.streamName,
                sourcePath: r.sourcePath, createdAt: at)
        }
    }

    public func recording(id: Int64) async throws -> RecordingRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM recordings WHERE id = ?", arguments: [id]).map(Self.recording)
        }
    }

    public func recordings(orderID: String) async throws -> [RecordingRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM recordings WHERE order_id = ? ORDER BY created_at DESC, id DESC", arguments: [orderID]
            ).map(Self.recording)
        }
    }

    public func recordings(state: RecordingState) async throws -> [RecordingRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM recordings WHERE state = ? ORDER BY created_at, id", arguments: [state.rawValue]
            ).map(Self.recording)
        }
    }

    public func finishRecording(id: Int64, path: String, bytes: Int64, durationMillis: Int64?, at: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE recordings SET state = 'ready', path = ?, bytes = ?, duration_ms = ?, converted_at = ?
                    WHERE id = ? AND state = 'pending'
                    """,
                arguments: [path, bytes, durationMillis, at, id])
            return db.changesCount == 1
        }
    }

    public func failRecording(id: Int64, reason: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE recordings SET state = 'failed', failure = ?, converted_at = ? WHERE id = ? AND state = 'pending'",
                arguments: [reason, at, id])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func deleteRecording(id: Int64, reason: RecordingDeleteReason, at: Int64, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE recordings SET state = 'deleted', deleted_at = ?, delete_reason = ?
                    WHERE id = ? AND state IN ('ready', 'failed')
                    """,
                arguments: [at, reason.rawValue, id])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func recordingDeletions(reason: RecordingDeleteReason?, limit: Int) async throws -> [RecordingRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM recordings WHERE state = 'deleted' AND (?1 IS NULL OR delete_reason = ?1)
                    ORDER BY deleted_at DESC, id DESC LIMIT ?2
                    """,
                arguments: [reason?.rawValue, limit]
            ).map(Self.recording)
        }
    }

    public func recordingTotals() async throws -> RecordingTotals {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM recordings WHERE state = 'ready'")
            return RecordingTotals(count: row?["n"] ?? 0, bytes: row?["b"] ?? 0)
        }
    }

    static func recording(_ row: Row) -> RecordingRecord {
        RecordingRecord(
            id: row["id"], orderID: row["order_id"], schoolID: row["school_id"], streamName: row["stream_name"],
            sourcePath: row["source_path"], path: row["path"],
            state: RecordingState(rawValue: row["state"]) ?? .failed, bytes: row["bytes"], durationMillis: row["duration_ms"],
            failure: row["failure"], createdAt: row["created_at"], convertedAt: row["converted_at"],
            deletedAt: row["deleted_at"], deleteReason: (row["delete_reason"] as String?).flatMap(RecordingDeleteReason.init))
    }
}
