/// Turns raw hotplug events (udev add / remove / change) into settled inventory changes.
///
/// A pure value state machine: time comes in as a `Duration` since any fixed origin (the caller's
/// monotonic clock), nothing here reads a clock. Events for one device are held until it has been quiet
/// for `window`; then
/// - presence changed → one `add` or `remove`;
/// - presence is as it was but it changed in between (a USB camera unplugged and replugged within the
///   window) → one `flap`, with the number of add/remove events seen;
/// - only `change` events → one `change`.
public struct HotplugDebouncer<Key: Hashable & Sendable>: Sendable {
    /// A raw event from the device manager.
    public enum Event: String, Sendable, Hashable {
        case add, remove, change
    }

    /// A settled change of one device.
    public struct Settled: Sendable, Hashable {
        public var key: Key
        public var action: HardwareChangeAction
        /// add/remove events seen while unsettled (2 for one unplug-replug flap).
        public var transitions: Int

        public init(key: Key, action: HardwareChangeAction, transitions: Int) {
            self.key = key
            self.action = action
            self.transitions = transitions
        }
    }

    private struct Pending: Sendable {
        var wasPresent: Bool
        var present: Bool
        var transitions = 0
        var changed = false
        var deadline: Duration
    }

    public let window: Duration
    private var present: Set<Key>
    private var pending: [Key: Pending] = [:]

    /// - Parameters:
    ///   - window: quiet time after a device's last event before it settles (1 s by default).
    ///   - present: the devices present at start (from enumeration).
    public init(window: Duration = .seconds(1), present: some Sequence<Key>) {
        self.window = window
        self.present = Set(present)
    }

    /// Devices currently considered present (settled or not).
    public func isPresent(_ key: Key) -> Bool { pending[key]?.present ?? present.contains(key) }

    /// Records one event at time `now`.
    public mutating func record(_ event: Event, for key: Key, at now: Duration) {
        let wasPresent = present.contains(key)
        var entry = pending[key] ?? Pending(wasPresent: wasPresent, present: wasPresent, deadline: now + window)
        switch event {
        case .add:
            if !entry.present { entry.transitions += 1 }
            entry.present = true
        case .remove:
            if entry.present { entry.transitions += 1 }
            entry.present = false
        case .change:
            entry.changed = true
        }
        entry.deadline = now + window
        pending[key] = entry
    }

    /// The earliest time at which ``settle(at:)`` will return something, or nil when nothing is pending.
    public var nextDeadline: Duration? { pending.values.map(\.deadline).min() }

    /// Settles every device quiet since its window; returns their changes in a stable order.
    public mutating func settle(at now: Duration) -> [Settled] {
        var settled: [Settled] = []
        for (key, entry) in pending where entry.deadline <= now {
            pending[key] = nil
            if entry.present { present.insert(key) } else { present.remove(key) }
            let action: HardwareChangeAction?
            if entry.present != entry.wasPresent {
                action = entry.present ? .add : .remove
            } else if entry.transitions > 0 {
                action = .flap
            } else if entry.changed && entry.present {
                action = .change
            } else {
                action = nil  // a change event for a device that is not there: nothing to report
            }
            if let action { settled.append(Settled(key: key, action: action, transitions: entry.transitions)) }
        }
        return settled.sorted { "\($0.key)" < "\($1.key)" }
    }
}

/// What happened to a device, as reported to the collector (the wire's `InventoryChange.Action`).
public enum HardwareChangeAction: String, Codable, Sendable, Hashable {
    case add, remove, change
    /// Removed and re-added (or added and removed) within the debounce window.
    case flap
}
