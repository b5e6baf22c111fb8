import ClassroomCore
import Foundation
import GRDB

extension CollectorSQLiteStore {
    // MARK: Draws

    public func insertSpotCheckDraw(_ d: SpotCheckDrawRecord, orders: [SpotCheckOrderRecord], audit: AuditEntry) async throws
        -> Bool
    {
        // Compressed before the write (on all cores, outside the one writer).
        let revealGzip = Data(StoredReveal.compress(d.reveal))
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO spotcheck_draws (week, count, order_count, shortfall, commitment, reveal, reveal_gzip,
                      rounds_after, drawn_at, drawn_by, revealed_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, NULL)
                    """,
                arguments: [
                    d.week, d.count, d.orderCount, d.shortfall, d.commitment, revealGzip, d.roundsAfter, d.drawnAt, d.drawnBy,
                ])
            guard db.changesCount == 1 else { return false }
            for o in orders { try Self.insertOrder(db, o) }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    public func spotCheckDraw(week: String) async throws -> SpotCheckDrawRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM spotcheck_draws WHERE week = ?", arguments: [week]).map(Self.draw)
        }
    }

    public func spotCheckDrawSummary(week: String) async throws -> SpotCheckDrawSummary? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(SpotCheckSQL.summary) FROM spotcheck_draws WHERE week = ?", arguments: [week])
                .map(Self.drawSummary)
        }
    }

    public func latestSpotCheckDrawSummary() async throws -> SpotCheckDrawSummary? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(SpotCheckSQL.summary) FROM spotcheck_draws ORDER BY week DESC LIMIT 1")
                .map(Self.drawSummary)
        }
    }

    public func revealSpotCheck(week: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE spotcheck_draws SET revealed_at = ? WHERE week = ? AND revealed_at IS NULL", arguments: [at, week])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    // MARK: Orders

    public func insertSpotCheckOrder(_ order: SpotCheckOrderRecord, audit: AuditEntry) async throws {
        try await pool.write { db in
            try Self.insertOrder(db, order)
            try Self.insertAudit(db, audit)
        }
    }

    public func spotCheckOrders(week: String, schoolID: String?) async throws -> [SpotCheckOrderRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM spotcheck_orders WHERE week = ? AND (? IS NULL OR school_id = ?)
                    ORDER BY lesson_start, position, id
                    """,
                arguments: [week, schoolID, schoolID]
            ).map(Self.order)
        }
    }

    public func spotCheckOrder(id: String) async throws -> SpotCheckOrderRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM spotcheck_orders WHERE id = ?", arguments: [id]).map(Self.order)
        }
    }

    public func spotCheckOrder(streamKeyHash: String) async throws -> SpotCheckOrderRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM spotcheck_orders WHERE stream_key_hash = ?", arguments: [streamKeyHash])
                .map(Self.order)
        }
    }

    public func dueSpotCheckOrders(startingBy: Int64, now: Int64) async throws -> [SpotCheckOrderRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM spotcheck_orders WHERE dispatched_at IS NULL AND lesson_start <= ? AND lesson_end > ?
                    ORDER BY lesson_start, id
                    """,
                arguments: [startingBy, now]
            ).map(Self.order)
        }
    }

    public func claimSpotCheckDispatch(orderID: String, dispatch d: SpotCheckDispatch, at: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE spotcheck_orders SET dispatched_at = ?, device_id = ?, command_id = ?, stream_key_hash = ?,
                      dispatch_note = ? WHERE id = ? AND dispatched_at IS NULL
                    """,
                arguments: [at, d.deviceID, d.commandID, d.streamKeyHash, d.note, orderID])
            return db.changesCount == 1
        }
    }

    public func releaseSpotCheckDispatch(orderID: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE spotcheck_orders SET dispatched_at = NULL, device_id = NULL, command_id = NULL,
                      stream_key_hash = NULL, dispatch_note = NULL WHERE id = ? AND publish_started_at IS NULL
                    """,
                arguments: [orderID])
        }
    }

    public func startSpotCheckPublish(orderID: String, at: Int64, addr: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE spotcheck_orders SET publish_started_at = ?, publish_addr = ?
                    WHERE id = ? AND publish_started_at IS NULL
                    """,
                arguments: [at, addr, orderID])
            return db.changesCount == 1
        }
    }

    public func endSpotCheckPublish(orderID: String, at: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE spotcheck_orders SET publish_ended_at = ?
                    WHERE id = ? AND publish_started_at IS NOT NULL AND publish_ended_at IS NULL
                    """,
                arguments: [at, orderID])
            return db.changesCount == 1
        }
    }

    public func excuseSpotCheckOrder(id: String, reason: String, by actor: String, at: Int64, audit: AuditEntry) async throws
        -> Bool
    {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE spotcheck_orders SET excused_at = ?, excused_by = ?, excuse_reason = ?
                    WHERE id = ? AND excused_at IS NULL
                    """,
                arguments: [at, actor, reason, id])
            guard db.changesCount == 1 else { return false }
            try Self.insertAudit(db, audit)
            return true
        }
    }

    // MARK: Evidence

    public func streamCapableRooms(seenSince: Int64) async throws -> Set<String> {
        try await pool.read { db in
            Set(try String.fetchAll(db, sql: SpotCheckSQL.streamCapableRooms, arguments: [seenSince]))
        }
    }

    public func streamCapableDevices(seenSince: Int64) async throws -> [DeviceRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: SpotCheckSQL.streamCapableDevices, arguments: [seenSince]).map(Self.device)
        }
    }

    public func events(deviceID: String, kind: String, since: Int64) async throws -> [StoredEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM events WHERE kind = ? AND device_id = ? AND at >= ? ORDER BY seq",
                arguments: [kind, deviceID, since]
            ).map(Self.storedEvent)
        }
    }

    // MARK: Rows

    static func insertOrder(_ db: Database, _ o: SpotCheckOrderRecord) throws {
        try db.execute(
            sql: SpotCheckSQL.insertOrder,
            arguments: [
                o.id, o.week, o.source, o.position, o.round, o.teacherID, o.teacherName, o.schoolID, o.roomID, o.weekday,
                o.startMinute, o.endMinute, o.subject, o.lessonStart, o.lessonEnd, o.createdAt,
            ])
    }

    static func storedEvent(_ r: Row) -> StoredEvent {
        StoredEvent(
            deviceID: r["device_id"], seq: r["seq"], kind: r["kind"], agentAt: r["agent_at"], at: r["at"],
            receivedAt: r["received_at"], body: r["body"])
    }

    static func drawSummary(_ r: Row) -> SpotCheckDrawSummary {
        SpotCheckDrawSummary(
            week: r["week"], count: r["count"], commitment: r["commitment"], roundsAfter: r["rounds_after"],
            revealedAt: r["revealed_at"])
    }

    static func draw(_ r: Row) throws -> SpotCheckDrawRecord {
        let gzip: Data? = r["reveal_gzip"]
        return SpotCheckDrawRecord(
            week: r["week"], count: r["count"], orderCount: r["order_count"], shortfall: r["shortfall"],
            commitment: r["commitment"], reveal: try gzip.map { try StoredReveal.decompress([UInt8]($0)) } ?? r["reveal"],
            roundsAfter: r["rounds_after"], drawnAt: r["drawn_at"], drawnBy: r["drawn_by"], revealedAt: r["revealed_at"])
    }

    static func order(_ r: Row) -> SpotCheckOrderRecord {
        var o = SpotCheckOrderRecord(
            id: r["id"], week: r["week"], source: r["source"], position: r["position"], round: r["round"],
            teacherID: r["teacher_id"], teacherName: r["teacher_name"], schoolID: r["school_id"], roomID: r["room_id"],
            weekday: r["weekday"], startMinute: r["start_minute"], endMinute: r["end_minute"], subject: r["subject"],
            lessonStart: r["lesson_start"], lessonEnd: r["lesson_end"], createdAt: r["created_at"])
        o.dispatchedAt = r["dispatched_at"]
        o.deviceID = r["device_id"]
        o.commandID = r["command_id"]
        o.dispatchNote = r["dispatch_note"]
        o.streamKeyHash = r["stream_key_hash"]
        o.publishStartedAt = r["publish_started_at"]
        o.publishEndedAt = r["publish_ended_at"]
        o.publishAddr = r["publish_addr"]
        o.excusedAt = r["excused_at"]
        o.excusedBy = r["excused_by"]
        o.excuseReason = r["excuse_reason"]
        return o
    }
}

/// SQL shared by both stores.
enum SpotCheckSQL {
    static let streamCapableDevices = """
        SELECT * FROM devices WHERE revoked_at IS NULL AND room_id IS NOT NULL AND last_seen_at >= ? AND cameras > 0
          AND microphones > 0 ORDER BY id
        """

    /// The columns of ``SpotCheckDrawSummary`` (both stores).
    static let summary = "week, count, commitment, rounds_after, revealed_at"

    static let streamCapableRooms = """
        SELECT DISTINCT room_id FROM devices WHERE revoked_at IS NULL AND room_id IS NOT NULL AND last_seen_at >= ?
          AND cameras > 0 AND microphones > 0
        """

    static let insertOrder = """
        INSERT INTO spotcheck_orders (id, week, source, position, round, teacher_id, teacher_name, school_id, room_id, weekday,
          start_minute, end_minute, subject, lesson_start, lesson_end, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
}
