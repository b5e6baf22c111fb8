import ClassroomCore

/// Builds a ``HardwareInventory`` from libudev enumeration.
///
/// Identity is taken from udev's stable properties (`ID_PATH`, `ID_SERIAL`, vendor/model), never from
/// `/dev/videoN` order. A machine without any of these devices yields empty lists, not an error.
public struct InventoryScanner {
    /// The udev subsystems the inventory reads (also the hotplug monitor's filter).
    public static let subsystems = ["video4linux", "sound", "input", "drm", "backlight", "net"]

    let udev: Udev

    public init(udev: Udev) { self.udev = udev }

    /// Enumerates the machine once.
    public func scan() throws(HardwareError) -> HardwareInventory { try scanKeyed().inventory }

    /// Enumerates the machine once, also returning each tracked device's identity by syspath (so that a
    /// later `remove` event, whose sysfs is gone, can still be matched).
    public func scanKeyed() throws(HardwareError) -> (inventory: HardwareInventory, keys: [String: DeviceKey]) {
        var inventory = HardwareInventory()
        var keys: [String: DeviceKey] = [:]
        for device in try udev.devices(subsystems: Self.subsystems) {
            let item = InventoryScanner.classify(device)
            if let item { keys[device.syspath] = DeviceKey(item) }
            switch item {
            case .camera(let camera): inventory.cameras.append(camera)
            case .microphone(let endpoint): inventory.microphones.append(endpoint)
            case .speaker(let endpoint): inventory.speakers.append(endpoint)
            case .touchscreen(let touchscreen): inventory.touchscreens.append(touchscreen)
            case .display(let display): inventory.displays.append(display)
            case .backlight(let backlight): inventory.backlights.append(backlight)
            case .network(let interface): inventory.network.append(interface)
            case nil: continue
            }
        }
        inventory.cameras.sort { $0.id < $1.id }
        inventory.microphones.sort { ($0.card, $0.device) < ($1.card, $1.device) }
        inventory.speakers.sort { ($0.card, $0.device) < ($1.card, $1.device) }
        inventory.touchscreens.sort { $0.id < $1.id }
        inventory.displays.sort { ($0.card, $0.connector) < ($1.card, $1.connector) }
        inventory.backlights.sort { $0.name < $1.name }
        inventory.network.sort { $0.interface < $1.interface }
        return (inventory, keys)
    }

    /// What one udev device is for the inventory, or nil when it is none of the tracked kinds
    /// (a camera's metadata node, a non-touch input, a card's control node, the loopback interface…).
    public static func classify(_ device: UdevDevice) -> InventoryItem? {
        switch device.subsystem {
        case "video4linux": return camera(device).map(InventoryItem.camera)
        case "sound": return audioEndpoint(device)
        case "input": return touchscreen(device).map(InventoryItem.touchscreen)
        case "drm": return display(device).map(InventoryItem.display)
        case "backlight": return .backlight(backlight(device))
        case "net": return network(device).map(InventoryItem.network)
        default: return nil
        }
    }

    static func camera(_ device: UdevDevice) -> Camera? {
        // v4l_id sets ID_V4L_CAPABILITIES; metadata nodes of a UVC camera lack `:capture:`.
        guard let capabilities = device.property("ID_V4L_CAPABILITIES"), capabilities.contains(":capture:"),
            let devnode = device.devnode
        else { return nil }
        let usb = device.parent(subsystem: "usb", devtype: "usb_device")
        let base = device.property("ID_PATH") ?? device.property("ID_SERIAL") ?? device.devpath
        let index = device.attribute("index") ?? "0"
        return Camera(
            id: "\(base)-video-index\(index)",
            name: device.attribute("name") ?? device.property("ID_V4L_PRODUCT") ?? device.property("ID_MODEL") ?? device.sysname,
            devnode: devnode,
            vendorID: device.property("ID_VENDOR_ID") ?? usb?.attribute("idVendor") ?? "",
            modelID: device.property("ID_MODEL_ID") ?? usb?.attribute("idProduct") ?? "",
            serial: device.property("ID_SERIAL_SHORT") ?? usb?.attribute("serial"),
            bus: device.property("ID_BUS") ?? (usb != nil ? "usb" : device.parent?.subsystem ?? "unknown"))
    }

    static func audioEndpoint(_ device: UdevDevice) -> InventoryItem? {
        guard let pcm = PCMName(sysname: device.sysname), let devnode = device.devnode else { return nil }
        let card = device.parent(subsystem: "sound")
        let name =
            card?.property("ID_MODEL_FROM_DATABASE") ?? card?.property("SOUND_DESCRIPTION") ?? card?.property("ID_MODEL")
            ?? card?.attribute("id") ?? "card \(pcm.card)"
        let base = card?.property("ID_PATH") ?? card?.property("ID_SERIAL") ?? card?.devpath ?? device.devpath
        let endpoint = AudioEndpoint(
            id: "\(base):\(pcm.device)\(pcm.capture ? "c" : "p")", card: pcm.card, device: pcm.device, name: name,
            pcm: "hw:\(pcm.card),\(pcm.device)", devnode: devnode)
        return pcm.capture ? .microphone(endpoint) : .speaker(endpoint)
    }

    static func touchscreen(_ device: UdevDevice) -> Touchscreen? {
        // Only ID_INPUT_TOUCHSCREEN=1: a camera's snapshot button or a jack-detection input is not one.
        guard device.property("ID_INPUT_TOUCHSCREEN") == "1", let devnode = device.devnode,
            device.sysname.hasPrefix("event")
        else { return nil }
        let input = device.parent(subsystem: "input")
        let name = input?.attribute("name") ?? input?.property("NAME").map(unquoted) ?? device.sysname
        let base = device.property("ID_PATH") ?? device.property("ID_SERIAL") ?? input?.devpath ?? device.devpath
        return Touchscreen(id: "\(base):\(name)", name: name, devnode: devnode)
    }

    static func display(_ device: UdevDevice) -> Display? {
        // Connectors are `cardN-CONNECTOR`; `cardN` itself and render nodes are not displays.
        let sysname = device.sysname
        guard sysname.hasPrefix("card"), let dash = sysname.firstIndex(of: "-") else { return nil }
        let status: Display.Status =
            switch device.attribute("status") {
            case "connected": .connected
            case "disconnected": .disconnected
            default: .unknown
            }
        let enabled: Bool? =
            switch device.attribute("enabled") {
            case "enabled": true
            case "disabled": false
            default: nil
            }
        return Display(
            connector: String(sysname[sysname.index(after: dash)...]), card: String(sysname[..<dash]), status: status,
            dpms: device.attribute("dpms"), enabled: enabled)
    }

    static func backlight(_ device: UdevDevice) -> Backlight {
        Backlight(
            name: device.sysname, power: device.attribute("bl_power").flatMap { Int($0) },
            brightness: device.attribute("brightness").flatMap { Int($0) },
            maxBrightness: device.attribute("max_brightness").flatMap { Int($0) })
    }

    static func network(_ device: UdevDevice) -> NetworkInterface? {
        let type = device.attribute("type")
        guard device.sysname != "lo", type != "772" else { return nil }  // 772 = ARPHRD_LOOPBACK
        let kind: NetworkInterface.Kind
        if device.devtype == "wlan" || device.attribute("phy80211") != nil {
            kind = .wifi
        } else if device.syspath.contains("/devices/virtual/") || device.devtype != nil {
            kind = .other  // bridges, tunnels, veth: not the classroom's network card
        } else {
            kind = type == "1" ? .ethernet : .other  // 1 = ARPHRD_ETHER
        }
        return NetworkInterface(interface: device.sysname, kind: kind, mac: device.attribute("address"))
    }

    static func unquoted(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
    }
}

/// One classified udev device.
public enum InventoryItem: Sendable, Hashable {
    case camera(Camera)
    case microphone(AudioEndpoint)
    case speaker(AudioEndpoint)
    case touchscreen(Touchscreen)
    case display(Display)
    case backlight(Backlight)
    case network(NetworkInterface)
}
