import CUdev

#if canImport(Glibc)
    import Glibc
#endif

/// Owns a libudev context (`struct udev`); everything udev-related starts here.
public final class Udev {
    let handle: OpaquePointer

    /// Creates a libudev context; fails only when libudev cannot allocate one.
    public init() throws(HardwareError) {
        guard let handle = udev_new() else {
            throw HardwareError(kind: .failed, operation: "udev_new", code: errno, reason: "libudev could not create a context")
        }
        self.handle = handle
    }

    deinit { udev_unref(handle) }

    /// Every device of the given subsystems, in syspath order (deterministic for a given machine).
    public func devices(subsystems: [String]) throws(HardwareError) -> [UdevDevice] {
        guard let enumerate = udev_enumerate_new(handle) else {
            throw HardwareError(kind: .failed, operation: "udev_enumerate_new", code: errno, reason: "out of memory")
        }
        defer { udev_enumerate_unref(enumerate) }
        for subsystem in subsystems {
            try HardwareError.check("udev_enumerate_add_match_subsystem(\(subsystem))") {
                udev_enumerate_add_match_subsystem(enumerate, subsystem)
            }
        }
        try HardwareError.check("udev_enumerate_scan_devices") { udev_enumerate_scan_devices(enumerate) }
        var paths: [String] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            if let name = udev_list_entry_get_name(current) { paths.append(String(cString: name)) }
            entry = udev_list_entry_get_next(current)
        }
        // A device can vanish between the scan and the lookup (hotplug); it is simply not there.
        return paths.sorted().compactMap { path in
            udev_device_new_from_syspath(handle, path).map { UdevDevice(owning: $0) }
        }
    }
}

/// One udev device (`struct udev_device`), with the lookups the inventory needs.
public final class UdevDevice {
    let handle: OpaquePointer

    /// Takes ownership of a device reference (it is unreferenced in `deinit`).
    init(owning handle: OpaquePointer) { self.handle = handle }

    deinit { udev_device_unref(handle) }

    public var syspath: String { Self.string(udev_device_get_syspath(handle)) ?? "" }
    public var sysname: String { Self.string(udev_device_get_sysname(handle)) ?? "" }
    public var devpath: String { Self.string(udev_device_get_devpath(handle)) ?? "" }
    public var subsystem: String? { Self.string(udev_device_get_subsystem(handle)) }
    public var devtype: String? { Self.string(udev_device_get_devtype(handle)) }
    public var devnode: String? { Self.string(udev_device_get_devnode(handle)) }
    /// `add`, `remove`, `change`, … for a device received from a monitor; nil for an enumerated one.
    public var action: String? { Self.string(udev_device_get_action(handle)) }

    /// A udev property (`E:` in the database), such as `ID_VENDOR_ID`.
    public func property(_ key: String) -> String? {
        Self.string(udev_device_get_property_value(handle, key)).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A sysfs attribute, trimmed; nil when missing or unreadable.
    public func attribute(_ name: String) -> String? {
        Self.string(udev_device_get_sysattr_value(handle, name)).map(Self.trimmed).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The nearest ancestor of the given subsystem (and device type), or nil.
    public func parent(subsystem: String, devtype: String? = nil) -> UdevDevice? {
        // The parent reference belongs to the child: take our own reference for the wrapper.
        guard let parent = udev_device_get_parent_with_subsystem_devtype(handle, subsystem, devtype) else { return nil }
        return UdevDevice(owning: udev_device_ref(parent))
    }

    /// The direct parent, or nil at the root.
    public var parent: UdevDevice? {
        guard let parent = udev_device_get_parent(handle) else { return nil }
        return UdevDevice(owning: udev_device_ref(parent))
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        return String(scalars)
    }
}
