import ClassroomCore

/// Body of `POST /api/v1/agent/events`: a bounded batch of outbox events in `seq` order.
///
/// - Important: `seq` is the device-scoped event id; it only grows. Re-sending an event is
///   harmless: the collector stores `(device, seq)` once and acknowledges duplicates.
public struct EventBatch: Codable, Sendable, Hashable {
    /// The agent's clock when the batch was sent, milliseconds since 1970; the collector compares it
    /// with its own clock to correct every `at` in the batch.
    public var sentAt: Int64
    public var events: [AgentEvent]

    /// Largest batch a collector accepts; agents split above it.
    public static let maximumEvents = 1000

    public init(sentAt: Int64, events: [AgentEvent]) {
        self.sentAt = sentAt
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case events
        case sentAt = "sent_at"
    }
}

/// One event of the agent's outbox.
public struct AgentEvent: Codable, Sendable, Hashable {
    public var seq: Int64
    /// When it happened on the agent's clock, milliseconds since 1970.
    public var at: Int64
    public var body: AgentEventBody

    public init(seq: Int64, at: Int64, body: AgentEventBody) {
        self.seq = seq
        self.at = at
        self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case seq, at, kind
        case usageMinute = "usage_minute"
        case inventory
        case heartbeat
        case dropped
        case evidence
        case commandResult = "command_result"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decode(Int64.self, forKey: .seq)
        at = try c.decode(Int64.self, forKey: .at)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "usage_minute": body = .usageMinute(try c.decode(UsageMinute.self, forKey: .usageMinute))
        case "inventory_snapshot": body = .inventorySnapshot(try c.decode(HardwareInventory.self, forKey: .inventory))
        case "inventory_change": body = .inventoryChange(try c.decode(InventoryChange.self, forKey: .inventory))
        case "heartbeat": body = .heartbeat(try c.decode(Heartbeat.self, forKey: .heartbeat))
        case "usage_dropped": body = .usageDropped(try c.decode(DroppedUsage.self, forKey: .dropped))
        case "evidence": body = .evidence(try c.decode(SignedEvidence.self, forKey: .evidence))
        case "command_result": body = .commandResult(try c.decode(CommandResult.self, forKey: .commandResult))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown event kind '\(kind)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(at, forKey: .at)
        try c.encode(body.kind, forKey: .kind)
        switch body {
        case .usageMinute(let v): try c.encode(v, forKey: .usageMinute)
        case .inventorySnapshot(let v): try c.encode(v, forKey: .inventory)
        case .inventoryChange(let v): try c.encode(v, forKey: .inventory)
        case .heartbeat(let v): try c.encode(v, forKey: .heartbeat)
        case .usageDropped(let v): try c.encode(v, forKey: .dropped)
        case .evidence(let v): try c.encode(v, forKey: .evidence)
        case .commandResult(let v): try c.encode(v, forKey: .commandResult)
        }
    }
}

/// What an event says. JSON: `{"seq":…, "at":…, "kind":"usage_minute", "usage_minute":{…}}`.
public enum AgentEventBody: Sendable, Hashable {
    case usageMinute(UsageMinute)
    /// The whole inventory, at start and after enrollment.
    case inventorySnapshot(HardwareInventory)
    /// A hotplug change and the inventory after it.
    case inventoryChange(InventoryChange)
    case heartbeat(Heartbeat)
    /// The outbox was full and thinned usage minutes; never evidence or inventory.
    case usageDropped(DroppedUsage)
    case evidence(SignedEvidence)
    case commandResult(CommandResult)

    /// The wire name of the event kind.
    public var kind: String {
        switch self {
        case .usageMinute: "usage_minute"
        case .inventorySnapshot: "inventory_snapshot"
        case .inventoryChange: "inventory_change"
        case .heartbeat: "heartbeat"
        case .usageDropped: "usage_dropped"
        case .evidence: "evidence"
        case .commandResult: "command_result"
        }
    }

    /// The device's whole inventory an inventory event carries (a snapshot, or the inventory after a
    /// hotplug change); nil for every other kind.
    public var inventory: HardwareInventory? {
        switch self {
        case .inventorySnapshot(let inventory): inventory
        case .inventoryChange(let change): change.inventory
        default: nil
        }
    }

    /// Whether the outbox may thin this event when full (only usage minutes may be dropped).
    public var isDroppable: Bool {
        if case .usageMinute = self { return true }
        return false
    }
}

/// A hotplug change: what happened to which device, and the inventory after it.
public struct InventoryChange: Codable, Sendable, Hashable {
    public enum Action: String, Codable, Sendable, Hashable {
        case add, remove, change
        /// Removed and re-added within the debounce window.
        case flap
    }

    public var action: Action
    /// `camera`, `microphone`, `speaker`, `touchscreen`, `display`, `backlight`, `network`.
    public var deviceKind: String
    public var deviceID: String
    public var inventory: HardwareInventory

    public init(action: Action, deviceKind: String, deviceID: String, inventory: HardwareInventory) {
        self.action = action
        self.deviceKind = deviceKind
        self.deviceID = deviceID
        self.inventory = inventory
    }

    enum CodingKeys: String, CodingKey {
        case action, inventory
        case deviceKind = "device_kind"
        case deviceID = "device_id"
    }
}

/// Periodic liveness with the agent's own health figures.
public struct Heartbeat: Codable, Sendable, Hashable {
    public var agentVersion: String
    public var uptimeSeconds: Int64
    public var queueDepth: Int
    public var droppedUsageTotal: Int64

    public init(agentVersion: String, uptimeSeconds: Int64, queueDepth: Int, droppedUsageTotal: Int64) {
        self.agentVersion = agentVersion
        self.uptimeSeconds = uptimeSeconds
        self.queueDepth = queueDepth
        self.droppedUsageTotal = droppedUsageTotal
    }

    enum CodingKeys: String, CodingKey {
        case agentVersion = "agent_version"
        case uptimeSeconds = "uptime_seconds"
        case queueDepth = "queue_depth"
        case droppedUsageTotal = "dropped_usage_total"
    }
}

/// How many usage minutes the outbox thinned, and over which span of agent time.
public struct DroppedUsage: Codable, Sendable, Hashable {
    public var count: Int64
    public var oldest: Int64
    public var newest: Int64

    public init(count: Int64, oldest: Int64, newest: Int64) {
        self.count = count
        self.oldest = oldest
        self.newest = newest
    }
}

/// Spot-check evidence signed with the device's Ed25519 key.
///
/// `payload` is the exact JSON the agent signed (base64 of its bytes) so that verification never
/// depends on re-encoding; `signature` is the raw 64-byte signature, base64.
public struct SignedEvidence: Codable, Sendable, Hashable {
    public var orderID: String
    public var payload: String
    public var signature: String

    public init(orderID: String, payload: String, signature: String) {
        self.orderID = orderID
        self.payload = payload
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case payload, signature
        case orderID = "order_id"
    }
}

/// What became of a command the agent received.
public struct CommandResult: Codable, Sendable, Hashable {
    public var commandID: String
    /// `done`, `failed`, `ignored`.
    public var status: String
    public var message: String?

    public init(commandID: String, status: String, message: String? = nil) {
        self.commandID = commandID
        self.status = status
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case status, message
        case commandID = "command_id"
    }
}

/// Answer to an ``EventBatch``.
public struct EventAck: Codable, Sendable, Hashable {
    /// Every event with `seq <= acknowledgedThrough` is durably stored; the agent may advance its cursor.
    public var acknowledgedThrough: Int64
    /// Events newly stored by this request.
    public var accepted: Int
    /// Events already stored before (re-sent after a lost answer).
    public var duplicates: Int
    /// Collector clock minus agent clock at `sent_at`, milliseconds.
    public var clockSkewMillis: Int64
    public var serverTime: Int64

    public init(acknowledgedThrough: Int64, accepted: Int, duplicates: Int, clockSkewMillis: Int64, serverTime: Int64) {
        self.acknowledgedThrough = acknowledgedThrough
        self.accepted = accepted
        self.duplicates = duplicates
        self.clockSkewMillis = clockSkewMillis
        self.serverTime = serverTime
    }

    enum CodingKeys: String, CodingKey {
        case accepted, duplicates
        case acknowledgedThrough = "acknowledged_through"
        case clockSkewMillis = "clock_skew_ms"
        case serverTime = "server_time"
    }
}
