import PostgresNIO

extension CollectorPostgresStore {
    public func insertRecording(_ r: RecordingStart, at: Int64, audit: AuditEntry) async throws -> RecordingRecord? {
        let logger = logger
        return try await transaction { c in
            var id: Int64?
            for try await n in try await c.query(
                """
                INSERT INTO recordings (order_id, school_id, stream_name, source_path, state, bytes, created_at)
                VALUES (\(r.orderID), \(r.schoolID), \(r.streamName), \(r.sourcePath), 'pending', 0, \(at))
                ON CONFLICT (source_path) DO NOTHING RETURNING id
                """, logger: logger
            ).decode(Int64.self) { id = n }
            guard let id else { return nil }
            try await Self.audit(c, audit, logger: logger)
            return RecordingRecord(
                id: id, orderID: r.orderID, schoolID: r.schoolID, streamName: r.streamName, sourcePath: r.sourcePath,
                createdAt: at)
        }
    }

    public func recording(id: Int64) async throws -> RecordingRecord? {
        try await rows("SELECT * FROM recordings WHERE id = \(id)").first.map(Self.recording)
    }

    public func recordings(orderID: String) async throws -> [RecordingRecord] {
        try await rows("SELECT * FROM recordings WHERE order_id = \(orderID) ORDER BY created_at DESC, id DESC")
            .map(Self.recording)
    }

    public func recordings(state: RecordingState) async throws -> [RecordingRecord] {
        try await rows("SELECT * FROM recordings WHERE state = \(state.rawValue) ORDER BY created_at, id").map(Self.recording)
    }

    public func finishRecording(id: Int64, path: String, bytes: Int64, durationMillis: Int64?, at: Int64) async throws -> Bool {
        try await !rows(
            """
            UPDATE recordings SET state = 'ready', path = \(path), bytes = \(bytes), duration_ms = \(durationMillis),
              converted_at = \(at) WHERE id = \(id) AND state = 'pending' RETURNING id
            """
        ).isEmpty
    }

    public func failRecording(id: Int64, reason: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                """
                UPDATE recordings SET state = 'failed', failure = \(reason), converted_at = \(at)
                WHERE id = \(id) AND state = 'pending' RETURNING id
                """, logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    public func deleteRecording(id: Int64, reason: RecordingDeleteReason, at: Int64, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                """
                UPDATE recordings SET state = 'deleted', deleted_at = \(at), delete_reason = \(reason.rawValue)
                WHERE id = \(id) AND state IN ('ready', 'failed') RETURNING id
                """, logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    public func recordingDeletions(reason: RecordingDeleteReason?, limit: Int) async throws -> [RecordingRecord] {
        try await rows(
            """
            SELECT * FROM recordings WHERE state = 'deleted' AND (\(reason?.rawValue)::text IS NULL OR delete_reason = \(reason?.rawValue))
            ORDER BY deleted_at DESC, id DESC LIMIT \(Int64(limit))
            """
        ).map(Self.recording)
    }

    public func recordingTotals() async throws -> RecordingTotals {
        let row = try await rows(
            "SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0)::bigint AS b FROM recordings WHERE state = 'ready'"
        )
        .first
        return RecordingTotals(
            count: Int(try row?["n"].decode(Int64.self) ?? 0), bytes: try row?["b"].decode(Int64.self) ?? 0)
    }

    static func recording(_ r: PostgresRandomAccessRow) throws -> RecordingRecord {
        RecordingRecord(
            id: try r["id"].decode(Int64.self), orderID: try r["order_id"].decode(String.self),
            schoolID: try r["school_id"].decode(String.self), streamName: try r["stream_name"].decode(String.self),
            sourcePath: try r["source_path"].decode(String.self), path: try r["path"].decode(String?.self),
            state: RecordingState(rawValue: try r["state"].decode(String.self)) ?? .failed,
            bytes: try r["bytes"].decode(Int64.self), durationMillis: try r["duration_ms"].decode(Int64?.self),
            failure: try r["failure"].decode(String?.self), createdAt: try r["created_at"].decode(Int64.self),
            convertedAt: try r["converted_at"].decode(Int64?.self), deletedAt: try r["deleted_at"].decode(Int64?.self),
            deleteReason: try r["delete_reason"].decode(String?.self).flatMap(RecordingDeleteReason.init))
    }
}
