/// An open alert as the lifecycle sees it: its key and since when its condition has been false.
public struct OpenAlertState: Sendable, Hashable {
    public var key: String
    /// When the condition was first seen false after it last held; nil while it holds.
    public var clearSince: Int64?

    public init(key: String, clearSince: Int64? = nil) {
        self.key = key
        self.clearSince = clearSince
    }
}

/// What one evaluation changes, for the store to apply in one transaction (and to notify about
/// ``opens`` and ``closes`` only).
public struct AlertPlan: Sendable, Hashable {
    /// New alerts.
    public var opens: [AlertCondition] = []
    /// Open alerts whose condition holds: clear timer reset, detail refreshed.
    public var holds: [AlertCondition] = []
    /// Open alerts whose condition just went false: their clear timer starts now.
    public var clearing: [String] = []
    /// Open alerts to close: false for the whole hold time.
    public var closes: [String] = []

    public init() {}

    public var isEmpty: Bool { opens.isEmpty && holds.isEmpty && clearing.isEmpty && closes.isEmpty }
}

/// The alerts' state machine, with hysteresis: an alert opens the first time its condition holds,
/// and closes only after the condition has been false at every evaluation for `closeAfterSeconds`.
/// A condition that returns within that time keeps the same alert open (no new alert, no message),
/// so a device that flaps on and off raises one alert and, once steady, one close.
public struct AlertLifecycle: Sendable {
    public let closeAfterMillis: Int64

    public init(closeAfterSeconds: Int64) {
        closeAfterMillis = closeAfterSeconds * 1000
    }

    /// The plan for `conditions` (true now) against the `open` alerts at `now` (milliseconds).
    public func plan(open: [OpenAlertState], conditions: [AlertCondition], now: Int64) -> AlertPlan {
        var plan = AlertPlan()
        var holding: [String: AlertCondition] = [:]
        for c in conditions where holding[c.key] == nil { holding[c.key] = c }
        let openKeys = Set(open.map(\.key))
        for key in holding.keys.sorted() {
            let condition = holding[key]!
            if openKeys.contains(key) { plan.holds.append(condition) } else { plan.opens.append(condition) }
        }
        for alert in open.sorted(by: { $0.key < $1.key }) where holding[alert.key] == nil {
            let since = alert.clearSince ?? now
            if now - since >= closeAfterMillis {
                plan.closes.append(alert.key)
            } else if alert.clearSince == nil {
                plan.clearing.append(alert.key)
            }
        }
        return plan
    }
}
