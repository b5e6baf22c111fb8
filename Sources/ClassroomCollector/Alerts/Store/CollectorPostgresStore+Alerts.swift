import ClassroomCore
import PostgresNIO

extension CollectorPostgresStore {
    public func openAlertStates() async throws -> [OpenAlertState] {
        try await rows("SELECT alert_key, clear_since FROM alerts WHERE closed_at IS NULL ORDER BY alert_key").map {
            OpenAlertState(key: try $0["alert_key"].decode(String.self), clearSince: try $0["clear_since"].decode(Int64?.self))
        }
    }

    public func applyAlertPlan(_ plan: AlertPlan, channels: [AlertChannel], at: Int64) async throws -> AlertPlanOutcome {
        let logger = logger
        return try await transaction { c in
            var outcome = AlertPlanOutcome()
            for a in plan.opens {
                let kind = a.kind.rawValue
                let inserted = try await c.query(
                    """
                    INSERT INTO alerts (alert_key, kind, school_id, device_id, room_id, detail, detail_zh, opened_at, last_true_at)
                    VALUES (\(a.key), \(kind), \(a.schoolID), \(a.deviceID), \(a.roomID), \(a.detail), \(a.chineseDetail),
                      \(at), \(at)) ON CONFLICT (alert_key) WHERE closed_at IS NULL DO NOTHING RETURNING *
                    """, logger: logger
                ).collect().map { try Self.alert($0.makeRandomAccess()) }
                for alert in inserted {
                    try await Self.queueAlertNotifications(
                        c, alertID: alert.id, transition: .opened, channels: channels, at: at, logger: logger)
                    outcome.opened.append(alert)
                }
            }
            for a in plan.holds {
                try await c.query(
                    """
                    UPDATE alerts SET last_true_at = \(at), clear_since = NULL, detail = \(a.detail), detail_zh = \(a.chineseDetail)
                    WHERE alert_key = \(a.key) AND closed_at IS NULL
                    """, logger: logger)
            }
            for key in plan.clearing {
                try await c.query(
                    "UPDATE alerts SET clear_since = \(at) WHERE alert_key = \(key) AND closed_at IS NULL AND clear_since IS NULL",
                    logger: logger)
            }
            for key in plan.closes {
                let closed = try await c.query(
                    "UPDATE alerts SET closed_at = \(at) WHERE alert_key = \(key) AND closed_at IS NULL RETURNING *",
                    logger: logger
                ).collect().map { try Self.alert($0.makeRandomAccess()) }
                for alert in closed {
                    try await Self.queueAlertNotifications(
                        c, alertID: alert.id, transition: .closed, channels: channels, at: at, logger: logger)
                    outcome.closed.append(alert)
                }
            }
            return outcome
        }
    }

    public func alerts(_ query: AlertQuery) async throws -> [AlertRecord] {
        let state = query.state.rawValue
        let schools = query.schoolIDs
        return try await rows(
            """
            SELECT * FROM alerts WHERE (\(query.schoolID)::text IS NULL OR school_id = \(query.schoolID))
              AND (\(schools)::text[] IS NULL OR school_id = ANY(\(schools)))
              AND (\(state) = 'all' OR (\(state) = 'open' AND closed_at IS NULL) OR (\(state) = 'closed' AND closed_at IS NOT NULL))
            ORDER BY opened_at DESC, id DESC LIMIT \(Int64(query.limit))
            """
        ).map(Self.alert)
    }

    public func dueAlertNotifications(channels: [AlertChannel], at: Int64, limit: Int) async throws -> [AlertNotification] {
        guard !channels.isEmpty else { return [] }
        let names = channels.map(\.rawValue)
        return try await rows(
            """
            SELECT n.id AS n_id, n.transition, n.channel, n.attempts, n.created_at AS n_created_at, a.*
            FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id
            WHERE n.delivered_at IS NULL AND n.gave_up_at IS NULL AND n.next_attempt_at <= \(at) AND n.channel = ANY(\(names))
            ORDER BY n.next_attempt_at, n.id LIMIT \(Int64(limit))
            """
        ).map(Self.alertNotification)
    }

    public func claimAlertNotifications(channels: [AlertChannel], at: Int64, limit: Int, leaseUntil: Int64) async throws
        -> [AlertNotification]
    {
        guard !channels.isEmpty, limit > 0 else { return [] }
        let names = channels.map(\.rawValue)
        let logger = logger
        return try await transaction { c in
            let ids = try await c.query(
                """
                UPDATE alert_notifications SET next_attempt_at = \(leaseUntil) WHERE id IN (
                  SELECT id FROM alert_notifications
                  WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= \(at) AND channel = ANY(\(names))
                  ORDER BY next_attempt_at, id LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED)
                RETURNING id
                """, logger: logger
            ).collect().map { try $0.makeRandomAccess()["id"].decode(Int64.self) }
            guard !ids.isEmpty else { return [] }
            return try await c.query(
                """
                SELECT n.id AS n_id, n.transition, n.channel, n.attempts, n.created_at AS n_created_at, a.*
                FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id WHERE n.id = ANY(\(ids)) ORDER BY n.id
                """, logger: logger
            ).collect().map { try Self.alertNotification($0.makeRandomAccess()) }
        }
    }

    public func recordAlertDelivery(id: Int64, outcome: AlertDeliveryOutcome, at: Int64) async throws {
        switch outcome {
        case .delivered:
            _ = try await rows("UPDATE alert_notifications SET delivered_at = \(at), attempts = attempts + 1 WHERE id = \(id)")
        case .retry(let next, let error):
            let message = String(error.prefix(1000))
            _ = try await rows(
                """
                UPDATE alert_notifications SET attempts = attempts + 1, next_attempt_at = \(next), last_error = \(message)
                WHERE id = \(id)
                """)
        case .gaveUp(let error):
            let message = String(error.prefix(1000))
            _ = try await rows(
                "UPDATE alert_notifications SET attempts = attempts + 1, gave_up_at = \(at), last_error = \(message) WHERE id = \(id)"
            )
        }
    }

    static func queueAlertNotifications(
        _ c: PostgresConnection, alertID: Int64, transition: AlertTransition, channels: [AlertChannel], at: Int64,
        logger: Logger
    ) async throws {
        for channel in channels {
            let name = channel.rawValue
            let state = transition.rawValue
            try await c.query(
                """
                INSERT INTO alert_notifications (alert_id, transition, channel, created_at, attempts, next_attempt_at)
                VALUES (\(alertID), \(state), \(name), \(at), 0, \(at))
                """, logger: logger)
        }
    }

    static func alertNotification(_ r: PostgresRandomAccessRow) throws -> AlertNotification {
        AlertNotification(
            id: try r["n_id"].decode(Int64.self), alert: try alert(r),
            transition: AlertTransition(rawValue: try r["transition"].decode(String.self)) ?? .opened,
            channel: AlertChannel(rawValue: try r["channel"].decode(String.self)) ?? .wecom,
            attempts: Int(try r["attempts"].decode(Int64.self)), createdAt: try r["n_created_at"].decode(Int64.self))
    }

    static func alert(_ r: PostgresRandomAccessRow) throws -> AlertRecord {
        AlertRecord(
            id: try r["id"].decode(Int64.self), key: try r["alert_key"].decode(String.self),
            kind: AlertKind(rawValue: try r["kind"].decode(String.self)) ?? .agentOffline,
            schoolID: try r["school_id"].decode(String.self), deviceID: try r["device_id"].decode(String?.self),
            roomID: try r["room_id"].decode(String?.self), detail: try r["detail"].decode(String.self),
            chineseDetail: try r["detail_zh"].decode(String.self), openedAt: try r["opened_at"].decode(Int64.self),
            lastTrueAt: try r["last_true_at"].decode(Int64.self), clearSince: try r["clear_since"].decode(Int64?.self),
            closedAt: try r["closed_at"].decode(Int64?.self))
    }
}
