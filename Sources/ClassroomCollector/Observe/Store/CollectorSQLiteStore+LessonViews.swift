import GRDB

extension CollectorSQLiteStore {
    public func touchLessonView(_ view: LessonViewStart, at: Int64, idleMillis: Int64, audit: AuditEntry) async throws
        -> LessonViewRecord
    {
        try await pool.write { db in
            let open = try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM lesson_views WHERE order_id = ? AND viewer = ? AND mode = ? AND last_seen_at >= ?
                    ORDER BY last_seen_at DESC LIMIT 1
                    """,
                arguments: [view.orderID, view.viewer, view.mode.rawValue, at - idleMillis])
            if let open {
                var record = Self.lessonView(open)
                record.lastSeenAt = max(record.lastSeenAt, at)
                try db.execute(
                    sql: "UPDATE lesson_views SET last_seen_at = ? WHERE id = ?", arguments: [record.lastSeenAt, record.id])
                return record
            }
            try db.execute(
                sql: """
                    INSERT INTO lesson_views (order_id, viewer, viewer_name, viewer_role, viewer_school_id, school_id, room_id,
                      mode, started_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    view.orderID, view.viewer, view.viewerName, view.viewerRole.rawValue, view.viewerSchoolID, view.schoolID,
                    view.roomID, view.mode.rawValue, at, at,
                ])
            try Self.insertAudit(db, audit)
            return LessonViewRecord(id: db.lastInsertedRowID, start: view, startedAt: at, lastSeenAt: at)
        }
    }

    public func lessonViews(orderID: String) async throws -> [LessonViewRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM lesson_views WHERE order_id = ? ORDER BY started_at, id", arguments: [orderID]
            )
            .map(Self.lessonView)
        }
    }

    public func lessonViews(startedFrom from: Int64, through: Int64, schoolID: String?) async throws -> [LessonViewRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM lesson_views WHERE started_at BETWEEN ?1 AND ?2 AND (?3 IS NULL OR school_id = ?3)
                    ORDER BY started_at, id
                    """,
                arguments: [from, through, schoolID]
            ).map(Self.lessonView)
        }
    }

    public func activeLessonViewers(orderID: String, since: Int64) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(DISTINCT viewer) FROM lesson_views WHERE order_id = ? AND last_seen_at >= ?",
                arguments: [orderID, since]) ?? 0
        }
    }

    static func lessonView(_ row: Row) -> LessonViewRecord {
        LessonViewRecord(
            id: row["id"],
            start: LessonViewStart(
                orderID: row["order_id"], viewer: row["viewer"], viewerName: row["viewer_name"],
                viewerRole: OperatorRole(rawValue: row["viewer_role"]) ?? .bureauViewer, viewerSchoolID: row["viewer_school_id"],
                schoolID: row["school_id"], roomID: row["room_id"], mode: LessonViewMode(rawValue: row["mode"]) ?? .live),
            startedAt: row["started_at"], lastSeenAt: row["last_seen_at"])
    }
}
