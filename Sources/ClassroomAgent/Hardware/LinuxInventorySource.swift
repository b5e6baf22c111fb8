import ClassroomCore
import ClassroomWire
import LinuxHardware
import Logging
import Synchronization

/// The machine's devices from libudev (``InventoryScanner``), and hotplug changes from the netlink
/// monitor (``HardwareWatcher``, debounced) followed on a dedicated thread.
///
/// The latest inventory is kept, so that ``snapshot()`` is cheap once ``changes()`` runs, and other
/// adapters (display, touch, speech) follow it through ``observe(_:)`` instead of polling sysfs.
public final class LinuxInventorySource: InventorySource, Sendable {
    private struct State {
        var latest: HardwareInventory?
        var generation = 0
        var observers: [@Sendable (HardwareInventory) -> Void] = []
        var watching = false
    }

    private let state = Mutex(State())
    private let window: Duration
    private let logger: Logger

    /// - Parameter window: the debounce window of hotplug changes (a flap inside it is one change).
    public init(window: Duration = .seconds(1), logger: Logger) {
        self.window = window
        self.logger = logger
    }

    /// The latest inventory the watcher read, or a fresh enumeration when it has not read one yet.
    public func snapshot() async throws -> HardwareInventory { try current() }

    /// Synchronous ``snapshot()`` for the adapters' own threads.
    func current() throws -> HardwareInventory {
        if let latest = state.withLock({ $0.latest }) { return latest }
        let scanned = try InventoryScanner(udev: Udev()).scan()
        publish(scanned)
        return scanned
    }

    /// How many times the inventory was replaced: adapters reopen their devices when it moves.
    var generation: Int { state.withLock { $0.generation } }

    /// Calls `observer` (on the watcher's thread) with each inventory read after a hotplug change.
    func observe(_ observer: @escaping @Sendable (HardwareInventory) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    private func publish(_ inventory: HardwareInventory) {
        let observers = state.withLock { state in
            if state.latest != inventory { state.generation += 1 }
            state.latest = inventory
            return state.observers
        }
        for observer in observers { observer(inventory) }
    }

    /// Hotplug changes until the stream's consumer stops; a second call while one runs finishes at once.
    public func changes() -> AsyncStream<InventoryChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: InventoryChange.self, bufferingPolicy: .unbounded)
        let first = state.withLock { state in
            defer { state.watching = true }
            return !state.watching
        }
        guard first else {
            logger.warning("the hotplug watcher is already running; a second follower gets no changes")
            continuation.finish()
            return stream
        }
        let thread = DedicatedThread.start(name: "cf-hotplug") { [self] stop in
            follow(stop: stop) { change in continuation.yield(change) }
            continuation.finish()
        }
        guard let thread else {
            logger.error("cannot start the hotplug thread: inventory changes are not followed")
            continuation.finish()
            return stream
        }
        continuation.onTermination = { _ in thread.stop.set() }
        return stream
    }

    /// Runs the watcher until `stop`; when it cannot start (no netlink), logs once and retries every 30 s.
    private func follow(stop: DedicatedThread.StopFlag, yield: (InventoryChange) -> Void) {
        var failures = 0
        while !stop.isSet {
            do {
                let watcher = try HardwareWatcher(window: window, logger: logger)
                if failures > 0 { logger.notice("hotplug watcher started after \(failures) failed attempts") }
                failures = 0
                publish(watcher.inventory)
                try watcher.run(
                    shouldStop: { stop.isSet },
                    onChange: { change, inventory in
                        publish(inventory)
                        yield(Self.wireChange(change, inventory: inventory))
                    })
            } catch {
                if failures == 0 {
                    logger.error(
                        "cannot follow device hotplug; retrying every 30 s", metadata: ["error": "\(error)"])
                }
                failures += 1
                _ = DedicatedThread.sleep(seconds: 30, unless: stop)
            }
        }
    }

    /// A LinuxHardware change as the wire's ``InventoryChange``.
    static func wireChange(_ change: HardwareChange, inventory: HardwareInventory) -> InventoryChange {
        let action: InventoryChange.Action =
            switch change.action {
            case .add: .add
            case .remove: .remove
            case .change: .change
            case .flap: .flap
            }
        return InventoryChange(action: action, deviceKind: change.deviceKind, deviceID: change.deviceID, inventory: inventory)
    }
}
