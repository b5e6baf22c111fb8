import ClassroomCore
import PostgresNIO

extension CollectorPostgresStore {
    // MARK: Draws

    public func insertSpotCheckDraw(_ d: SpotCheckDrawRecord, orders: [SpotCheckOrderRecord], audit: AuditEntry) async throws
        -> Bool
    {
        let logger = logger
        let revealGzip = ByteBuffer(bytes: StoredReveal.compress(d.reveal))
        return try await transaction { c in
            let inserted = try await c.query(
                """
                INSERT INTO spotcheck_draws (week, count, order_count, shortfall, commitment, reveal, reveal_gzip, rounds_after,
                  drawn_at, drawn_by, revealed_at)
                VALUES (\(d.week), \(Int64(d.count)), \(Int64(d.orderCount)), \(Int64(d.shortfall)), \(d.commitment), '',
                  \(revealGzip), \(d.roundsAfter), \(d.drawnAt), \(d.drawnBy), NULL)
                ON CONFLICT (week) DO NOTHING RETURNING week
                """, logger: logger
            ).collect()
            guard !inserted.isEmpty else { return false }
            for o in orders { try await Self.insertOrder(c, o, logger: logger) }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    public func spotCheckDraw(week: String) async throws -> SpotCheckDrawRecord? {
        try await rows("SELECT * FROM spotcheck_draws WHERE week = \(week)").first.map(Self.draw)
    }

    public func spotCheckDrawSummary(week: String) async throws -> SpotCheckDrawSummary? {
        try await rows("SELECT \(unescaped: SpotCheckSQL.summary) FROM spotcheck_draws WHERE week = \(week)").first
            .map(Self.drawSummary)
    }

    public func latestSpotCheckDrawSummary() async throws -> SpotCheckDrawSummary? {
        try await rows("SELECT \(unescaped: SpotCheckSQL.summary) FROM spotcheck_draws ORDER BY week DESC LIMIT 1").first
            .map(Self.drawSummary)
    }

    static func drawSummary(_ r: PostgresRandomAccessRow) throws -> SpotCheckDrawSummary {
        SpotCheckDrawSummary(
            week: try r["week"].decode(String.self), count: Int(try r["count"].decode(Int64.self)),
            commitment: try r["commitment"].decode(String.self), roundsAfter: try r["rounds_after"].decode(String.self),
            revealedAt: try r["revealed_at"].decode(Int64?.self))
    }

    public func revealSpotCheck(week: String, at: Int64, audit: AuditEntry) async throws -> Bool {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                "UPDATE spotcheck_draws SET revealed_at = \(at) WHERE week = \(week) AND revealed_at IS NULL RETURNING week",
                logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    // MARK: Orders

    public func insertSpotCheckOrder(_ order: SpotCheckOrderRecord, audit: AuditEntry) async throws {
        let logger = logger
        try await transaction { c in
            try await Self.insertOrder(c, order, logger: logger)
            try await Self.audit(c, audit, logger: logger)
        }
    }

    public func spotCheckOrders(week: String, schoolID: String?) async throws -> [SpotCheckOrderRecord] {
        try await rows(
            """
            SELECT * FROM spotcheck_orders WHERE week = \(week) AND (\(schoolID)::text IS NULL OR school_id = \(schoolID))
            ORDER BY lesson_start, position, id
            """
        ).map(Self.order)
    }

    public func spotCheckOrder(id: String) async throws -> SpotCheckOrderRecord? {
        try await rows("SELECT * FROM spotcheck_orders WHERE id = \(id)").first.map(Self.order)
    }

    public func spotCheckOrder(streamKeyHash: String) async throws -> SpotCheckOrderRecord? {
        try await rows("SELECT * FROM spotcheck_orders WHERE stream_key_hash = \(streamKeyHash)").first.map(Self.order)
    }

    public func dueSpotCheckOrders(startingBy: Int64, now: Int64) async throws -> [SpotCheckOrderRecord] {
        try await rows(
            """
            SELECT * FROM spotcheck_orders WHERE dispatched_at IS NULL AND lesson_start <= \(startingBy) AND lesson_end > \(now)
            ORDER BY lesson_start, id
            """
        ).map(Self.order)
    }

    public func claimSpotCheckDispatch(orderID: String, dispatch d: SpotCheckDispatch, at: Int64) async throws -> Bool {
        try await !rows(
            """
            UPDATE spotcheck_orders SET dispatched_at = \(at), device_id = \(d.deviceID), command_id = \(d.commandID),
              stream_key_hash = \(d.streamKeyHash), dispatch_note = \(d.note)
            WHERE id = \(orderID) AND dispatched_at IS NULL RETURNING id
            """
        ).isEmpty
    }

    public func releaseSpotCheckDispatch(orderID: String) async throws {
        _ = try await rows(
            """
            UPDATE spotcheck_orders SET dispatched_at = NULL, device_id = NULL, command_id = NULL, stream_key_hash = NULL,
              dispatch_note = NULL WHERE id = \(orderID) AND publish_started_at IS NULL RETURNING id
            """)
    }

    public func startSpotCheckPublish(orderID: String, at: Int64, addr: String) async throws -> Bool {
        try await !rows(
            """
            UPDATE spotcheck_orders SET publish_started_at = \(at), publish_addr = \(addr)
            WHERE id = \(orderID) AND publish_started_at IS NULL RETURNING id
            """
        ).isEmpty
    }

    public func endSpotCheckPublish(orderID: String, at: Int64) async throws -> Bool {
        try await !rows(
            """
            UPDATE spotcheck_orders SET publish_ended_at = \(at)
            WHERE id = \(orderID) AND publish_started_at IS NOT NULL AND publish_ended_at IS NULL RETURNING id
            """
        ).isEmpty
    }

    public func excuseSpotCheckOrder(id: String, reason: String, by actor: String, at: Int64, audit: AuditEntry) async throws
        -> Bool
    {
        let logger = logger
        return try await transaction { c in
            let changed = try await c.query(
                """
                UPDATE spotcheck_orders SET excused_at = \(at), excused_by = \(actor), excuse_reason = \(reason)
                WHERE id = \(id) AND excused_at IS NULL RETURNING id
                """, logger: logger
            ).collect()
            guard !changed.isEmpty else { return false }
            try await Self.audit(c, audit, logger: logger)
            return true
        }
    }

    // MARK: Evidence

    public func streamCapableRooms(seenSince: Int64) async throws -> Set<String> {
        Set(
            try await rows(
                """
                SELECT DISTINCT room_id FROM devices WHERE revoked_at IS NULL AND room_id IS NOT NULL
                  AND last_seen_at >= \(seenSince) AND cameras > 0 AND microphones > 0
                """
            ).map { try $0["room_id"].decode(String.self) })
    }

    public func streamCapableDevices(seenSince: Int64) async throws -> [DeviceRecord] {
        try await rows(
            """
            SELECT * FROM devices WHERE revoked_at IS NULL AND room_id IS NOT NULL AND last_seen_at >= \(seenSince)
              AND cameras > 0 AND microphones > 0 ORDER BY id
            """
        ).map(Self.device)
    }

    public func events(deviceID: String, kind: String, since: Int64) async throws -> [StoredEvent] {
        try await rows(
            "SELECT * FROM events WHERE kind = \(kind) AND device_id = \(deviceID) AND at >= \(since) ORDER BY seq"
        ).map(Self.storedEvent)
    }

    // MARK: Rows

    static func insertOrder(_ c: PostgresConnection, _ o: SpotCheckOrderRecord, logger: Logger) async throws {
        try await c.query(
            """
            INSERT INTO spotcheck_orders (id, week, source, position, round, teacher_id, teacher_name, school_id, room_id,
              weekday, start_minute, end_minute, subject, lesson_start, lesson_end, created_at)
            VALUES (\(o.id), \(o.week), \(o.source), \(Int64(o.position)), \(Int64(o.round)), \(o.teacherID), \(o.teacherName),
              \(o.schoolID), \(o.roomID), \(Int64(o.weekday)), \(Int64(o.startMinute)), \(Int64(o.endMinute)), \(o.subject),
              \(o.lessonStart), \(o.lessonEnd), \(o.createdAt))
            """, logger: logger)
    }

    static func draw(_ r: PostgresRandomAccessRow) throws -> SpotCheckDrawRecord {
        SpotCheckDrawRecord(
            week: try r["week"].decode(String.self), count: Int(try r["count"].decode(Int64.self)),
            orderCount: Int(try r["order_count"].decode(Int64.self)), shortfall: Int(try r["shortfall"].decode(Int64.self)),
            commitment: try r["commitment"].decode(String.self),
            reveal: try r["reveal_gzip"].decode(ByteBuffer?.self).map { try StoredReveal.decompress(Array($0.readableBytesView)) }
                ?? r["reveal"].decode(String.self),
            roundsAfter: try r["rounds_after"].decode(String.self), drawnAt: try r["drawn_at"].decode(Int64.self),
            drawnBy: try r["drawn_by"].decode(String.self), revealedAt: try r["revealed_at"].decode(Int64?.self))
    }

    static func order(_ r: PostgresRandomAccessRow) throws -> SpotCheckOrderRecord {
        func int(_ column: String) throws -> Int { Int(try r[column].decode(Int64.self)) }
        var o = SpotCheckOrderRecord(
            id: try r["id"].decode(String.self), week: try r["week"].decode(String.self),
            source: try r["source"].decode(String.self), position: try int("position"), round: try int("round"),
            teacherID: try r["teacher_id"].decode(String.self), teacherName: try r["teacher_name"].decode(String.self),
            schoolID: try r["school_id"].decode(String.self), roomID: try r["room_id"].decode(String.self),
            weekday: try int("weekday"), startMinute: try int("start_minute"), endMinute: try int("end_minute"),
            subject: try r["subject"].decode(String.self), lessonStart: try r["lesson_start"].decode(Int64.self),
            lessonEnd: try r["lesson_end"].decode(Int64.self), createdAt: try r["created_at"].decode(Int64.self))
        o.dispatchedAt = try r["dispatched_at"].decode(Int64?.self)
        o.deviceID = try r["device_id"].decode(String?.self)
        o.commandID = try r["command_id"].decode(String?.self)
        o.dispatchNote = try r["dispatch_note"].decode(String?.self)
        o.streamKeyHash = try r["stream_key_hash"].decode(String?.self)
        o.publishStartedAt = try r["publish_started_at"].decode(Int64?.self)
        o.publishEndedAt = try r["publish_ended_at"].decode(Int64?.self)
        o.publishAddr = try r["publish_addr"].decode(String?.self)
        o.excusedAt = try r["excused_at"].decode(Int64?.self)
        o.excusedBy = try r["excused_by"].decode(String?.self)
        o.excuseReason = try r["excuse_reason"].decode(String?.self)
        return o
    }
}
