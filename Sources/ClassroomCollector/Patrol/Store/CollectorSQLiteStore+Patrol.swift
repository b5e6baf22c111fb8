import GRDB

extension CollectorSQLiteStore {
    public func openPatrol(_ order: SpotCheckOrderRecord, openedBy: String, at: Int64, audit: AuditEntry) async throws
        -> PatrolOpening
    {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE patrols SET ended_at = lesson_end, end_reason = ?
                    WHERE room_id = ? AND ended_at IS NULL AND lesson_end <= ?
                    """,
                arguments: [PatrolEndReason.lessonOver.rawValue, order.roomID, at])
            if let open = try Row.fetchOne(
                db, sql: "SELECT * FROM patrols WHERE room_id = ? AND ended_at IS NULL", arguments: [order.roomID])
            {
                return .joined(Self.patrol(open))
            }
            let patrol = PatrolRecord(
                orderID: order.id, schoolID: order.schoolID, roomID: order.roomID, openedBy: openedBy, openedAt: at,
                lessonEnd: order.lessonEnd)
            try Self.insertOrder(db, order)
            try db.execute(
                sql: """
                    INSERT INTO patrols (order_id, school_id, room_id, opened_by, opened_at, lesson_end)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [patrol.orderID, patrol.schoolID, patrol.roomID, openedBy, at, patrol.lessonEnd])
            try Self.insertAudit(db, audit)
            return .opened(patrol)
        }
    }

    public func patrol(orderID: String) async throws -> PatrolRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM patrols WHERE order_id = ?", arguments: [orderID]).map(Self.patrol)
        }
    }

    public func openPatrols() async throws -> [PatrolRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM patrols WHERE ended_at IS NULL ORDER BY opened_at, order_id")
                .map(Self.patrol)
        }
    }

    public func endPatrol(orderID: String, at: Int64, reason: PatrolEndReason, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE patrols SET ended_at = ?, end_reason = ? WHERE order_id = ? AND ended_at IS NULL",
                arguments: [at, reason.rawValue, orderID])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func patrols(openedFrom from: Int64, through: Int64, schoolID: String?) async throws -> [PatrolRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM patrols WHERE opened_at BETWEEN ?1 AND ?2 AND (?3 IS NULL OR school_id = ?3)
                    ORDER BY opened_at DESC, order_id
                    """,
                arguments: [from, through, schoolID]
            ).map(Self.patrol)
        }
    }

    static func patrol(_ row: Row) -> PatrolRecord {
        PatrolRecord(
            orderID: row["order_id"], schoolID: row["school_id"], roomID: row["room_id"], openedBy: row["opened_by"],
            openedAt: row["opened_at"], lessonEnd: row["lesson_end"], endedAt: row["ended_at"],
            endReason: (row["end_reason"] as String?).flatMap(PatrolEndReason.init(rawValue:)))
    }
}
