import Logging
import PostgresNIO

extension CollectorPostgresStore {
    public func touchLessonView(_ view: LessonViewStart, at: Int64, idleMillis: Int64, audit: AuditEntry) async throws
        -> LessonViewRecord
    {
        let logger = logger
        return try await transaction { c in
            // One viewer's requests may come in parallel (playlist and segment): the row lock on the
            // open view serializes them; a new view is serialized by a transaction-scoped advisory lock
            // on the (order, viewer, mode) key.
            let key = "\(view.orderID)|\(view.viewer)|\(view.mode.rawValue)"
            try await c.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
            let mode = view.mode.rawValue
            let since = at - idleMillis
            var open: LessonViewRecord?
            for try await row in try await c.query(
                """
                SELECT * FROM lesson_views WHERE order_id = \(view.orderID) AND viewer = \(view.viewer) AND mode = \(mode)
                AND last_seen_at >= \(since) ORDER BY last_seen_at DESC LIMIT 1
                """, logger: logger)
            {
                open = try Self.lessonView(row.makeRandomAccess())
            }
            if var record = open {
                record.lastSeenAt = max(record.lastSeenAt, at)
                try await c.query(
                    "UPDATE lesson_views SET last_seen_at = \(record.lastSeenAt) WHERE id = \(record.id)", logger: logger)
                return record
            }
            var id: Int64 = 0
            for try await n in try await c.query(
                """
                INSERT INTO lesson_views (order_id, viewer, viewer_name, viewer_role, viewer_school_id, school_id, room_id,
                  mode, started_at, last_seen_at) VALUES (\(view.orderID), \(view.viewer), \(view.viewerName),
                  \(view.viewerRole.rawValue), \(view.viewerSchoolID), \(view.schoolID), \(view.roomID), \(mode), \(at), \(at))
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) { id = n }
            try await Self.audit(c, audit, logger: logger)
            return LessonViewRecord(id: id, start: view, startedAt: at, lastSeenAt: at)
        }
    }

    public func lessonViews(orderID: String) async throws -> [LessonViewRecord] {
        try await rows("SELECT * FROM lesson_views WHERE order_id = \(orderID) ORDER BY started_at, id").map(Self.lessonView)
    }

    public func lessonViews(startedFrom from: Int64, through: Int64, schoolID: String?) async throws -> [LessonViewRecord] {
        try await rows(
            """
            SELECT * FROM lesson_views WHERE started_at BETWEEN \(from) AND \(through)
            AND (\(schoolID)::text IS NULL OR school_id = \(schoolID)) ORDER BY started_at, id
            """
        ).map(Self.lessonView)
    }

    public func activeLessonViewers(orderID: String, since: Int64) async throws -> Int {
        try await rows(
            "SELECT COUNT(DISTINCT viewer) AS n FROM lesson_views WHERE order_id = \(orderID) AND last_seen_at >= \(since)"
        ).first.map { Int(try $0["n"].decode(Int64.self)) } ?? 0
    }

    static func lessonView(_ r: PostgresRandomAccessRow) throws -> LessonViewRecord {
        LessonViewRecord(
            id: try r["id"].decode(Int64.self),
            start: LessonViewStart(
                orderID: try r["order_id"].decode(String.self), viewer: try r["viewer"].decode(String.self),
                viewerName: try r["viewer_name"].decode(String.self),
                viewerRole: OperatorRole(rawValue: try r["viewer_role"].decode(String.self)) ?? .bureauViewer,
                viewerSchoolID: try r["viewer_school_id"].decode(String?.self), schoolID: try r["school_id"].decode(String.self),
                roomID: try r["room_id"].decode(String.self),
                mode: LessonViewMode(rawValue: try r["mode"].decode(String.self)) ?? .live),
            startedAt: try r["started_at"].decode(Int64.self), lastSeenAt: try r["last_seen_at"].decode(Int64.self))
    }
}
