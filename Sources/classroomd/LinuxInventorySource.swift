import ClassroomAgent
import ClassroomCore
import ClassroomWire
import LinuxHardware

/// The agent's inventory from libudev (LinuxHardware): a fresh enumeration for every snapshot (at
/// start and on an `inventory_refresh` command).
///
/// - Important: hotplug changes are not followed yet (`changes()` finishes at once); wiring
///   LinuxHardware's `HardwareWatcher` here is the next step.
struct LinuxInventorySource: InventorySource {
    func snapshot() async throws -> HardwareInventory {
        try InventoryScanner(udev: Udev()).scan()
    }

    func changes() -> AsyncStream<InventoryChange> {
        AsyncStream { $0.finish() }
    }
}
