import ClassroomCore

/// Device-health alerts and the notifications about them waiting to be delivered (the outbox that
/// keeps a slow webhook or mail server away from ingest and evaluation).
///
/// - Important: every method is one transaction; times are milliseconds on the collector's clock.
///   At most one alert per key is open (a unique index says so).
public protocol AlertStore: Sendable {
    /// The open alerts' keys and clear timers (the lifecycle's input).
    func openAlertStates() async throws -> [OpenAlertState]
    /// Applies `plan` at `at`: inserts the opens, refreshes the holds, starts the clear timers,
    /// closes the closes, and queues one notification per channel of `channels` for every alert
    /// opened or closed. Answers the alerts opened and closed. An open whose key is open already
    /// (another collector's evaluation got there first) is skipped, with no notification.
    func applyAlertPlan(_ plan: AlertPlan, channels: [AlertChannel], at: Int64) async throws -> AlertPlanOutcome
    /// Alerts matching `query`, newest opening first.
    func alerts(_ query: AlertQuery) async throws -> [AlertRecord]
    /// Notifications of `channels` not delivered nor given up whose next attempt is due at `at`,
    /// oldest first, at most `limit`.
    func dueAlertNotifications(channels: [AlertChannel], at: Int64, limit: Int) async throws -> [AlertNotification]
    /// Claims up to `limit` due notifications of `channels` for delivery, oldest first: their next
    /// attempt moves to `leaseUntil`, so another pass or another collector on the same database does
    /// not take them meanwhile (PostgreSQL: `FOR UPDATE SKIP LOCKED`). The sender then records the
    /// outcome; a collector that dies mid-send leaves them to be claimed again after the lease.
    func claimAlertNotifications(channels: [AlertChannel], at: Int64, limit: Int, leaseUntil: Int64) async throws
        -> [AlertNotification]
    /// Records what became of one delivery attempt.
    func recordAlertDelivery(id: Int64, outcome: AlertDeliveryOutcome, at: Int64) async throws
}

/// Where notifications go.
public enum AlertChannel: String, Codable, Sendable, Hashable, CaseIterable {
    /// A WeCom (企业微信) group robot webhook.
    case wecom
    /// An email through the local MTA (`sendmail -t`).
    case email
}

/// Which alerts a listing wants.
public enum AlertStateFilter: String, Codable, Sendable, Hashable, CaseIterable {
    case open, closed, all
}

/// The filters of ``AlertStore/alerts(_:)``.
public struct AlertQuery: Sendable, Hashable {
    public var state: AlertStateFilter
    /// Only this school's alerts (always set for a school admin).
    public var schoolID: String?
    /// Only alerts of these schools (a county admin's county, `county=`); nil for every school.
    public var schoolIDs: [String]?
    public var limit: Int

    public init(state: AlertStateFilter = .open, schoolID: String? = nil, limit: Int = 1000) {
        self.state = state
        self.schoolID = schoolID
        self.limit = limit
    }
}

/// One stored alert.
public struct AlertRecord: Codable, Sendable, Hashable {
    public var id: Int64
    public var key: String
    public var kind: AlertKind
    public var schoolID: String
    public var deviceID: String?
    public var roomID: String?
    public var detail: String
    public var chineseDetail: String
    public var openedAt: Int64
    /// The last evaluation that found the condition true.
    public var lastTrueAt: Int64
    /// Since when the condition has been false, while the alert waits to close.
    public var clearSince: Int64?
    public var closedAt: Int64?

    public init(
        id: Int64, key: String, kind: AlertKind, schoolID: String, deviceID: String?, roomID: String?, detail: String,
        chineseDetail: String, openedAt: Int64, lastTrueAt: Int64, clearSince: Int64? = nil, closedAt: Int64? = nil
    ) {
        self.id = id
        self.key = key
        self.kind = kind
        self.schoolID = schoolID
        self.deviceID = deviceID
        self.roomID = roomID
        self.detail = detail
        self.chineseDetail = chineseDetail
        self.openedAt = openedAt
        self.lastTrueAt = lastTrueAt
        self.clearSince = clearSince
        self.closedAt = closedAt
    }

    public var isOpen: Bool { closedAt == nil }

    enum CodingKeys: String, CodingKey {
        case id, key, kind, detail
        case schoolID = "school_id"
        case deviceID = "device_id"
        case roomID = "room_id"
        case chineseDetail = "detail_zh"
        case openedAt = "opened_at"
        case lastTrueAt = "last_true_at"
        case clearSince = "clear_since"
        case closedAt = "closed_at"
    }
}

/// The alerts one plan opened and closed.
public struct AlertPlanOutcome: Sendable, Hashable {
    public var opened: [AlertRecord]
    public var closed: [AlertRecord]

    public init(opened: [AlertRecord] = [], closed: [AlertRecord] = []) {
        self.opened = opened
        self.closed = closed
    }
}

/// Whether a notification announces an opening or a closing.
public enum AlertTransition: String, Codable, Sendable, Hashable {
    case opened, closed
}

/// One notification waiting for delivery, with its alert.
public struct AlertNotification: Sendable, Hashable {
    public var id: Int64
    public var alert: AlertRecord
    public var transition: AlertTransition
    public var channel: AlertChannel
    /// Attempts made so far.
    public var attempts: Int
    public var createdAt: Int64

    public init(
        id: Int64, alert: AlertRecord, transition: AlertTransition, channel: AlertChannel, attempts: Int, createdAt: Int64
    ) {
        self.id = id
        self.alert = alert
        self.transition = transition
        self.channel = channel
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// What became of a delivery attempt.
public enum AlertDeliveryOutcome: Sendable, Hashable {
    case delivered
    /// Failed; try again at `next` (attempts + 1).
    case retry(next: Int64, error: String)
    /// Failed for the last time: given up (attempts + 1).
    case gaveUp(error: String)
}

/// The alerts' tables, after the school resources (v550; v560 and v580 are other features').
enum AlertSchema {
    static let migration = CollectorSchema.Migration(
        name: "v570-alerts",
        statements: [
            """
            CREATE TABLE alerts (id {SERIAL}, alert_key TEXT NOT NULL, kind TEXT NOT NULL, school_id TEXT NOT NULL,
              device_id TEXT, room_id TEXT, detail TEXT NOT NULL, detail_zh TEXT NOT NULL, opened_at {INT} NOT NULL,
              last_true_at {INT} NOT NULL, clear_since {INT}, closed_at {INT})
            """,
            "CREATE UNIQUE INDEX alerts_open_key ON alerts (alert_key) WHERE closed_at IS NULL",
            "CREATE INDEX alerts_school ON alerts (school_id, opened_at)",
            """
            CREATE TABLE alert_notifications (id {SERIAL}, alert_id {INT} NOT NULL, transition TEXT NOT NULL,
              channel TEXT NOT NULL, created_at {INT} NOT NULL, attempts {INT} NOT NULL, next_attempt_at {INT} NOT NULL,
              delivered_at {INT}, gave_up_at {INT}, last_error TEXT)
            """,
            "CREATE INDEX alert_notifications_due ON alert_notifications (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL",
        ])
}
