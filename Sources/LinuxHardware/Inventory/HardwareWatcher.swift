import ClassroomCore
import Logging

/// Watches udev for hotplug and keeps the inventory current: enumerates once, then turns netlink
/// events into debounced changes (``HotplugDebouncer``) and re-reads the inventory when devices settle.
/// Display and backlight state is re-read on their udev change events, never by polling.
public final class HardwareWatcher {
    private let udev: Udev
    private let monitor: UdevMonitor
    private var debouncer: HotplugDebouncer<DeviceKey>
    private var keysBySyspath: [String: DeviceKey]
    private let logger: Logger
    public private(set) var inventory: HardwareInventory

    /// Starts listening before the first enumeration so that no event between the two is lost.
    public init(window: Duration = .seconds(1), logger: Logger) throws(HardwareError) {
        self.logger = logger
        let udev = try Udev()
        self.udev = udev
        self.monitor = try UdevMonitor(udev: udev, subsystems: InventoryScanner.subsystems)
        let (inventory, keys) = try InventoryScanner(udev: udev).scanKeyed()
        self.inventory = inventory
        self.keysBySyspath = keys
        self.debouncer = HotplugDebouncer(window: window, present: keys.values)
    }

    /// Runs until `shouldStop` returns true (checked at least every `tick`), calling `onChange` for each
    /// settled change with the inventory after it. `clock` is the monotonic clock the debounce window uses.
    public func run(
        clock: ContinuousClock = ContinuousClock(), tick: Duration = .milliseconds(200), shouldStop: () -> Bool,
        onChange: (HardwareChange, HardwareInventory) -> Void
    ) throws(HardwareError) {
        let origin = clock.now
        while !shouldStop() {
            var timeout = tick
            if let deadline = debouncer.nextDeadline { timeout = min(timeout, max(.zero, deadline - (clock.now - origin))) }
            if try monitor.wait(milliseconds: Int32((timeout / .milliseconds(1)).rounded(.up))) {
                while let device = monitor.receive() { record(device, at: clock.now - origin) }
            }
            let settled = debouncer.settle(at: clock.now - origin)
            guard !settled.isEmpty else { continue }
            let previous = inventory
            do {
                let (current, keys) = try InventoryScanner(udev: udev).scanKeyed()
                inventory = current
                keysBySyspath.merge(keys) { $1 }
            } catch {
                // Keep following events with the last good inventory; the next settle re-reads it.
                logger.error("cannot re-read the device inventory: \(error)")
            }
            let current = inventory
            for change in settled {
                logger.info(
                    "device \(change.action.rawValue)",
                    metadata: ["kind": "\(change.key.kind)", "id": "\(change.key.id)", "transitions": "\(change.transitions)"])
                onChange(
                    HardwareChange(
                        action: change.action, deviceKind: change.key.kind, deviceID: change.key.id,
                        name: current.name(of: change.key) ?? previous.name(of: change.key), transitions: change.transitions),
                    current)
            }
        }
    }

    private func record(_ device: UdevDevice, at now: Duration) {
        let event: HotplugDebouncer<DeviceKey>.Event
        switch device.action {
        case "add", "bind", "online": event = .add
        case "remove", "unbind", "offline": event = .remove
        case "change": event = .change
        default: return
        }
        let syspath = device.syspath
        logger.debug("udev event", metadata: ["action": "\(device.action ?? "")", "syspath": "\(syspath)"])
        if let key = keysBySyspath[syspath] ?? InventoryScanner.classify(device).map(DeviceKey.init) {
            keysBySyspath[syspath] = key
            debouncer.record(event, for: key, at: now)
        } else if device.subsystem == "drm", event == .change {
            // A drm hotplug event names the card (HOTPLUG=1), not the connector: every connector of it may have changed.
            let card = device.sysname
            for display in inventory.displays where display.card == card {
                debouncer.record(.change, for: DeviceKey(kind: "display", id: "\(card)-\(display.connector)"), at: now)
            }
        }
    }
}

/// A settled hotplug change (the wire's `InventoryChange` without the inventory).
public struct HardwareChange: Codable, Sendable, Hashable {
    public var action: HardwareChangeAction
    /// `camera`, `microphone`, `speaker`, `touchscreen`, `display`, `backlight`, `network`.
    public var deviceKind: String
    public var deviceID: String
    public var name: String?
    /// add/remove events seen before the device settled (2 for one unplug-replug flap).
    public var transitions: Int

    enum CodingKeys: String, CodingKey {
        case action, name, transitions
        case deviceKind = "device_kind"
        case deviceID = "device_id"
    }
}

/// A device's identity across events: its kind and stable id.
public struct DeviceKey: Hashable, Sendable, CustomStringConvertible {
    public var kind: String
    public var id: String

    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }

    init(_ item: InventoryItem) {
        switch item {
        case .camera(let camera): self.init(kind: "camera", id: camera.id)
        case .microphone(let endpoint): self.init(kind: "microphone", id: endpoint.id)
        case .speaker(let endpoint): self.init(kind: "speaker", id: endpoint.id)
        case .touchscreen(let touchscreen): self.init(kind: "touchscreen", id: touchscreen.id)
        case .display(let display): self.init(kind: "display", id: "\(display.card)-\(display.connector)")
        case .backlight(let backlight): self.init(kind: "backlight", id: backlight.name)
        case .network(let interface): self.init(kind: "network", id: interface.interface)
        }
    }

    public var description: String { "\(kind):\(id)" }
}

extension HardwareInventory {
    /// The display name of a device in this inventory, if it is there.
    func name(of key: DeviceKey) -> String? {
        switch key.kind {
        case "camera": cameras.first { $0.id == key.id }?.name
        case "microphone": microphones.first { $0.id == key.id }?.name
        case "speaker": speakers.first { $0.id == key.id }?.name
        case "touchscreen": touchscreens.first { $0.id == key.id }?.name
        case "display": displays.first { "\($0.card)-\($0.connector)" == key.id }.map { "\($0.connector) \($0.status.rawValue)" }
        case "backlight": backlights.first { $0.name == key.id }?.name
        case "network": network.first { $0.interface == key.id }?.interface
        default: nil
        }
    }
}
