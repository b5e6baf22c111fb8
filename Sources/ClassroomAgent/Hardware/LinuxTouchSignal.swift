import ClassroomCore
import LinuxHardware
import Logging
import Synchronization

/// Counts touches on the inventory's touchscreens (``EvdevTouchReader``) on a dedicated thread.
///
/// The devices are (re)opened whenever the inventory changes (hotplug); a touchscreen that cannot be
/// opened or goes away is logged once and retried on the next change. Counting starts on the first
/// ``takeTouchCount()``.
public final class LinuxTouchSignal: TouchSignal, Sendable {
    private let inventory: LinuxInventorySource
    private let logger: Logger
    private let count = Mutex(0)
    private let thread = Mutex<DedicatedThread?>(nil)
    private let started = Atomic<Bool>(false)

    public init(inventory: LinuxInventorySource, logger: Logger) {
        self.inventory = inventory
        self.logger = logger
    }

    deinit { thread.withLock { $0?.stop.set() } }

    public func takeTouchCount() async -> Int {
        startOnce()
        return count.withLock { value in
            defer { value = 0 }
            return value
        }
    }

    private func startOnce() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let counter = Counter(
            inventory: inventory, logger: logger,
            count: { [weak self] n in
                self?.count.withLock { $0 += n }
            })
        let started = DedicatedThread.start(name: "cf-touch") { stop in counter.run(stop: stop) }
        if started == nil { logger.error("cannot start the touch thread: touches are not counted") }
        thread.withLock { $0 = started }
    }

    /// The thread's side: owns the readers (not Sendable) and hands counts over.
    private struct Counter: Sendable {
        let inventory: LinuxInventorySource
        let logger: Logger
        let count: @Sendable (Int) -> Void

        func run(stop: DedicatedThread.StopFlag) {
            var reportedFor: [String]? = nil  // the device set whose failure was already logged
            while !stop.isSet {
                let generation = inventory.generation
                let nodes: [String]
                do {
                    nodes = try inventory.current().touchscreens.map(\.devnode)
                } catch {
                    if reportedFor != [] { logger.error("cannot list touchscreens", metadata: ["error": "\(error)"]) }
                    reportedFor = []
                    _ = DedicatedThread.sleep(seconds: 5, unless: stop)
                    continue
                }
                if !nodes.isEmpty,
                    read(nodes, while: { !stop.isSet && inventory.generation == generation }, reportedFor: &reportedFor)
                {
                    continue
                }
                // No touchscreen, or it failed: wait for the inventory to change (a memory read, not sysfs).
                while !stop.isSet, inventory.generation == generation { _ = DedicatedThread.sleep(seconds: 1, unless: stop) }
            }
        }

        /// Counts on `nodes` while `keepGoing`; returns false when they failed or all went away.
        private func read(_ nodes: [String], while keepGoing: () -> Bool, reportedFor: inout [String]?) -> Bool {
            do {
                let reader = try EvdevTouchReader(devnodes: nodes)
                let clock = ContinuousClock()
                while keepGoing() {
                    let counts = try reader.count(until: clock.now + .seconds(1), clock: clock)
                    let total = counts.values.reduce(0, +)
                    if total > 0 {
                        count(total)
                        if reportedFor != nil { logger.notice("touchscreens readable", metadata: ["devices": "\(nodes)"]) }
                        reportedFor = nil
                    }
                    if reader.removed.count == nodes.count {
                        if reportedFor != nodes {
                            logger.warning("touchscreens went away", metadata: ["devices": "\(reader.removed)"])
                        }
                        reportedFor = nodes
                        return false
                    }
                }
                return true
            } catch {
                if reportedFor != nodes {
                    logger.error(
                        "cannot count touches; retrying when devices change",
                        metadata: ["devices": "\(nodes)", "error": "\(error)"])
                }
                reportedFor = nodes
                return false
            }
        }
    }
}
