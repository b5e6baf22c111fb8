import CUdev

#if canImport(Glibc)
    import Glibc
#endif

/// A libudev netlink monitor (`struct udev_monitor`) receiving processed udev events; unreferenced in `deinit`.
public final class UdevMonitor {
    let handle: OpaquePointer
    private let udev: Udev  // keeps the context alive as long as the monitor

    /// Listens to udev (not raw kernel) events of the given subsystems.
    public init(udev: Udev, subsystems: [String]) throws(HardwareError) {
        guard let handle = udev_monitor_new_from_netlink(udev.handle, "udev") else {
            throw HardwareError(
                kind: .failed, operation: "udev_monitor_new_from_netlink", code: errno,
                reason: "cannot listen to udev events (\(HardwareError.systemReason(errno)))")
        }
        self.handle = handle
        self.udev = udev
        for subsystem in subsystems {
            try HardwareError.check("udev_monitor_filter_add_match_subsystem_devtype(\(subsystem))") {
                udev_monitor_filter_add_match_subsystem_devtype(handle, subsystem, nil)
            }
        }
        try HardwareError.check("udev_monitor_enable_receiving") { udev_monitor_enable_receiving(handle) }
    }

    deinit { udev_monitor_unref(handle) }

    /// The monitor's socket, for `poll`.
    public var fileDescriptor: Int32 { udev_monitor_get_fd(handle) }

    /// Waits up to `milliseconds` for an event; true when one can be received.
    public func wait(milliseconds: Int32) throws(HardwareError) -> Bool {
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        let ready = try HardwareError.check("poll(udev monitor)", convention: .minusOneSetsErrno) {
            poll(&descriptor, 1, milliseconds)
        }
        return ready > 0
    }

    /// The next event's device (its `action` is set), or nil when none is waiting.
    public func receive() -> UdevDevice? {
        udev_monitor_receive_device(handle).map { UdevDevice(owning: $0) }
    }
}
