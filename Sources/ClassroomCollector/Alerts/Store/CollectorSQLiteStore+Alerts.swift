import ClassroomCore
import Foundation
import GRDB

extension CollectorSQLiteStore {
    public func openAlertStates() async throws -> [OpenAlertState] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT alert_key, clear_since FROM alerts WHERE closed_at IS NULL ORDER BY alert_key").map
            {
                OpenAlertState(key: $0["alert_key"], clearSince: $0["clear_since"])
            }
        }
    }

    public func applyAlertPlan(_ plan: AlertPlan, channels: [AlertChannel], at: Int64) async throws -> AlertPlanOutcome {
        try await pool.write { db in
            var outcome = AlertPlanOutcome()
            for c in plan.opens {
                try db.execute(
                    sql: """
                        INSERT INTO alerts (alert_key, kind, school_id, device_id, room_id, detail, detail_zh, opened_at,
                          last_true_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (alert_key) WHERE closed_at IS NULL DO NOTHING
                        """,
                    arguments: [c.key, c.kind.rawValue, c.schoolID, c.deviceID, c.roomID, c.detail, c.chineseDetail, at, at])
                // Opened meanwhile by another evaluation: that one notifies.
                guard db.changesCount == 1 else { continue }
                let id = db.lastInsertedRowID
                try Self.queueAlertNotifications(db, alertID: id, transition: .opened, channels: channels, at: at)
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]) {
                    outcome.opened.append(Self.alert(row))
                }
            }
            for c in plan.holds {
                try db.execute(
                    sql: """
                        UPDATE alerts SET last_true_at = ?, clear_since = NULL, detail = ?, detail_zh = ?
                        WHERE alert_key = ? AND closed_at IS NULL
                        """,
                    arguments: [at, c.detail, c.chineseDetail, c.key])
            }
            for key in plan.clearing {
                try db.execute(
                    sql: "UPDATE alerts SET clear_since = ? WHERE alert_key = ? AND closed_at IS NULL AND clear_since IS NULL",
                    arguments: [at, key])
            }
            for key in plan.closes {
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT * FROM alerts WHERE alert_key = ? AND closed_at IS NULL", arguments: [key])
                else { continue }
                var alert = Self.alert(row)
                try db.execute(sql: "UPDATE alerts SET closed_at = ? WHERE id = ?", arguments: [at, alert.id])
                alert.closedAt = at
                try Self.queueAlertNotifications(db, alertID: alert.id, transition: .closed, channels: channels, at: at)
                outcome.closed.append(alert)
            }
            return outcome
        }
    }

    public func alerts(_ query: AlertQuery) async throws -> [AlertRecord] {
        let schools = try query.schoolIDs.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM alerts WHERE (?1 IS NULL OR school_id = ?1)
                      AND (?2 = 'all' OR (?2 = 'open' AND closed_at IS NULL) OR (?2 = 'closed' AND closed_at IS NOT NULL))
                      AND (?4 IS NULL OR school_id IN (SELECT value FROM json_each(?4)))
                    ORDER BY opened_at DESC, id DESC LIMIT ?3
                    """,
                arguments: [query.schoolID, query.state.rawValue, query.limit, schools]
            ).map(Self.alert)
        }
    }

    public func dueAlertNotifications(channels: [AlertChannel], at: Int64, limit: Int) async throws -> [AlertNotification] {
        guard !channels.isEmpty else { return [] }
        return try await pool.read { db in
            let marks = channels.map { _ in "?" }.joined(separator: ", ")
            var arguments: [(any DatabaseValueConvertible)?] = [at]
            arguments += channels.map(\.rawValue)
            arguments.append(limit)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT n.id AS n_id, n.transition, n.channel, n.attempts, n.created_at AS n_created_at, a.*
                    FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id
                    WHERE n.delivered_at IS NULL AND n.gave_up_at IS NULL AND n.next_attempt_at <= ? AND n.channel IN (\(marks))
                    ORDER BY n.next_attempt_at, n.id LIMIT ?
                    """,
                arguments: StatementArguments(arguments)
            ).map(Self.alertNotification)
        }
    }

    public func claimAlertNotifications(channels: [AlertChannel], at: Int64, limit: Int, leaseUntil: Int64) async throws
        -> [AlertNotification]
    {
        guard !channels.isEmpty, limit > 0 else { return [] }
        return try await pool.write { db in
            let marks = channels.map { _ in "?" }.joined(separator: ", ")
            var arguments: [(any DatabaseValueConvertible)?] = [at]
            arguments += channels.map(\.rawValue)
            arguments.append(limit)
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM alert_notifications
                    WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= ? AND channel IN (\(marks))
                    ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: StatementArguments(arguments))
            guard !ids.isEmpty else { return [] }
            let list = ids.map(String.init).joined(separator: ", ")
            try db.execute(
                sql: "UPDATE alert_notifications SET next_attempt_at = ? WHERE id IN (\(list))", arguments: [leaseUntil])
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT n.id AS n_id, n.transition, n.channel, n.attempts, n.created_at AS n_created_at, a.*
                    FROM alert_notifications n JOIN alerts a ON a.id = n.alert_id WHERE n.id IN (\(list)) ORDER BY n.id
                    """
            ).map(Self.alertNotification)
        }
    }

    public func recordAlertDelivery(id: Int64, outcome: AlertDeliveryOutcome, at: Int64) async throws {
        try await pool.write { db in
            switch outcome {
            case .delivered:
                try db.execute(
                    sql: "UPDATE alert_notifications SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
                    arguments: [at, id])
            case .retry(let next, let error):
                try db.execute(
                    sql: """
                        UPDATE alert_notifications SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
                        WHERE id = ?
                        """,
                    arguments: [next, String(error.prefix(1000)), id])
            case .gaveUp(let error):
                try db.execute(
                    sql: "UPDATE alert_notifications SET attempts = attempts + 1, gave_up_at = ?, last_error = ? WHERE id = ?",
                    arguments: [at, String(error.prefix(1000)), id])
            }
        }
    }

    static func queueAlertNotifications(
        _ db: Database, alertID: Int64, transition: AlertTransition, channels: [AlertChannel], at: Int64
    ) throws {
        for channel in channels {
            try db.execute(
                sql: """
                    INSERT INTO alert_notifications (alert_id, transition, channel, created_at, attempts, next_attempt_at)
                    VALUES (?, ?, ?, ?, 0, ?)
                    """,
                arguments: [alertID, transition.rawValue, channel.rawValue, at, at])
        }
    }

    static func alertNotification(_ row: Row) -> AlertNotification {
        AlertNotification(
            id: row["n_id"], alert: alert(row), transition: AlertTransition(rawValue: row["transition"]) ?? .opened,
            channel: AlertChannel(rawValue: row["channel"]) ?? .wecom, attempts: row["attempts"], createdAt: row["n_created_at"])
    }

    static func alert(_ row: Row) -> AlertRecord {
        AlertRecord(
            id: row["id"], key: row["alert_key"], kind: AlertKind(rawValue: row["kind"]) ?? .agentOffline,
            schoolID: row["school_id"], deviceID: row["device_id"], roomID: row["room_id"], detail: row["detail"],
            chineseDetail: row["detail_zh"], openedAt: row["opened_at"], lastTrueAt: row["last_true_at"],
            clearSince: row["clear_since"], closedAt: row["closed_at"])
    }
}
