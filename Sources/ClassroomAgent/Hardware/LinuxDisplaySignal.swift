import ClassroomCore
import Logging
import Synchronization

/// Display on or off from the inventory's DRM connector status, DPMS and backlight power
/// (``HardwareInventory/displayOn``); the inventory is re-read on udev change events by
/// ``LinuxInventorySource``, so asking is a memory read, not a sysfs poll.
public final class LinuxDisplaySignal: DisplaySignal, Sendable {
    private let inventory: LinuxInventorySource
    private let logger: Logger
    private let failed = Atomic<Bool>(false)

    public init(inventory: LinuxInventorySource, logger: Logger) {
        self.inventory = inventory
        self.logger = logger
    }

    public func displayIsOn() async -> Bool {
        do {
            let on = try inventory.current().displayOn
            if failed.exchange(false, ordering: .relaxed) { logger.notice("display state readable again") }
            return on
        } catch {
            if !failed.exchange(true, ordering: .relaxed) {
                logger.error("cannot read the display state; reporting it off", metadata: ["error": "\(error)"])
            }
            return false
        }
    }
}
