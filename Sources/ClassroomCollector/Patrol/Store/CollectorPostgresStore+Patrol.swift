import Logging
import PostgresNIO

extension CollectorPostgresStore {
    public func openPatrol(_ order: SpotCheckOrderRecord, openedBy: String, at: Int64, audit: AuditEntry) async throws
        -> PatrolOpening
    {
        let logger = logger
        return try await transaction { c in
            // Two viewers opening the same room at once: the second waits here and then joins.
            let key = "patrol|\(order.roomID)"
            try await c.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
            let over = PatrolEndReason.lessonOver.rawValue
            try await c.query(
                """
                UPDATE patrols SET ended_at = lesson_end, end_reason = \(over)
                WHERE room_id = \(order.roomID) AND ended_at IS NULL AND lesson_end <= \(at)
                """, logger: logger)
            for try await row in try await c.query(
                "SELECT * FROM patrols WHERE room_id = \(order.roomID) AND ended_at IS NULL", logger: logger)
            {
                return .joined(try Self.patrol(row.makeRandomAccess()))
            }
            let patrol = PatrolRecord(
                orderID: order.id, schoolID: order.schoolID, roomID: order.roomID, openedBy: openedBy, openedAt: at,
                lessonEnd: order.lessonEnd)
            try await Self.insertOrder(c, order, logger: logger)
            try await c.query(
                """
                INSERT INTO patrols (order_id, school_id, room_id, opened_by, opened_at, lesson_end)
                VALUES (\(patrol.orderID), \(patrol.schoolID), \(patrol.roomID), \(openedBy), \(at), \(patrol.lessonEnd))
                """, logger: logger)
            try await Self.audit(c, audit, logger: logger)
            return .opened(patrol)
        }
    }

    public func patrol(orderID: String) async throws -> PatrolRecord? {
        try await rows("SELECT * FROM patrols WHERE order_id = \(orderID)").first.map(Self.patrol)
    }

    public func openPatrols() async throws -> [PatrolRecord] {
        try await rows("SELECT * FROM patrols WHERE ended_at IS NULL ORDER BY opened_at, order_id").map(Self.patrol)
    }

    public func endPatrol(orderID: String, at: Int64, reason: PatrolEndReason, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            var ended = false
            for try await _ in try await c.query(
                """
                UPDATE patrols SET ended_at = \(at), end_reason = \(reason.rawValue)
                WHERE order_id = \(orderID) AND ended_at IS NULL RETURNING order_id
                """, logger: logger)
            {
                ended = true
            }
            if ended { try await Self.audit(c, audit, logger: logger) }
            return ended
        }
    }

    public func patrols(openedFrom from: Int64, through: Int64, schoolID: String?) async throws -> [PatrolRecord] {
        try await rows(
            """
            SELECT * FROM patrols WHERE opened_at BETWEEN \(from) AND \(through)
            AND (\(schoolID)::text IS NULL OR school_id = \(schoolID)) ORDER BY opened_at DESC, order_id
            """
        ).map(Self.patrol)
    }

    static func patrol(_ r: PostgresRandomAccessRow) throws -> PatrolRecord {
        PatrolRecord(
            orderID: try r["order_id"].decode(String.self), schoolID: try r["school_id"].decode(String.self),
            roomID: try r["room_id"].decode(String.self), openedBy: try r["opened_by"].decode(String.self),
            openedAt: try r["opened_at"].decode(Int64.self), lessonEnd: try r["lesson_end"].decode(Int64.self),
            endedAt: try r["ended_at"].decode(Int64?.self),
            endReason: try r["end_reason"].decode(String?.self).flatMap(PatrolEndReason.init(rawValue:)))
    }
}
