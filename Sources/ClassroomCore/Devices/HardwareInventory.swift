#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What an agent verified on its machine at one moment: the devices that make a room a
/// smart-blackboard, digital or recording classroom.
///
/// Produced by `LinuxHardware` from libudev; sent to the collector in inventory events; read by
/// coverage. The JSON keys are part of the agent's CLI (`classroomd inventory --json`) and of the
/// wire protocol, so they are snake_case and stable.
public struct HardwareInventory: Codable, Sendable, Hashable {
    public var cameras: [Camera]
    public var microphones: [AudioEndpoint]
    public var speakers: [AudioEndpoint]
    public var touchscreens: [Touchscreen]
    public var displays: [Display]
    public var backlights: [Backlight]
    public var network: [NetworkInterface]

    public init(
        cameras: [Camera] = [], microphones: [AudioEndpoint] = [], speakers: [AudioEndpoint] = [],
        touchscreens: [Touchscreen] = [], displays: [Display] = [], backlights: [Backlight] = [],
        network: [NetworkInterface] = []
    ) {
        self.cameras = cameras
        self.microphones = microphones
        self.speakers = speakers
        self.touchscreens = touchscreens
        self.displays = displays
        self.backlights = backlights
        self.network = network
    }

    /// An empty inventory: a machine on which nothing was found (not an error).
    public static let empty = HardwareInventory()
}

/// A video4linux capture device (a node with the `:capture:` capability; metadata nodes are not cameras).
public struct Camera: Codable, Sendable, Hashable {
    /// Stable identity across reboots: udev `ID_PATH` or `ID_SERIAL`, never `/dev/videoN` order.
    public var id: String
    public var name: String
    public var devnode: String
    public var vendorID: String
    public var modelID: String
    public var serial: String?
    public var bus: String

    public init(id: String, name: String, devnode: String, vendorID: String, modelID: String, serial: String? = nil, bus: String)
    {
        self.id = id
        self.name = name
        self.devnode = devnode
        self.vendorID = vendorID
        self.modelID = modelID
        self.serial = serial
        self.bus = bus
    }

    enum CodingKeys: String, CodingKey {
        case id, name, devnode, serial, bus
        case vendorID = "vendor_id"
        case modelID = "model_id"
    }
}

/// An ALSA PCM endpoint: a capture PCM is a microphone, a playback PCM a speaker.
public struct AudioEndpoint: Codable, Sendable, Hashable {
    /// Stable identity: the sound card's udev `ID_PATH` plus the device number.
    public var id: String
    public var card: Int
    public var device: Int
    public var name: String
    /// The ALSA name to open, such as `hw:1,0`.
    public var pcm: String
    /// The device node, such as `/dev/snd/pcmC1D0c`.
    public var devnode: String

    public init(id: String, card: Int, device: Int, name: String, pcm: String, devnode: String) {
        self.id = id
        self.card = card
        self.device = device
        self.name = name
        self.pcm = pcm
        self.devnode = devnode
    }
}

/// An input device udev marks `ID_INPUT_TOUCHSCREEN=1`.
public struct Touchscreen: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var devnode: String

    public init(id: String, name: String, devnode: String) {
        self.id = id
        self.name = name
        self.devnode = devnode
    }
}

/// A DRM connector such as `card0-HDMI-A-1`.
public struct Display: Codable, Sendable, Hashable {
    /// Connection state as sysfs reports it.
    public enum Status: String, Codable, Sendable, Hashable {
        case connected, disconnected, unknown
    }

    /// The connector without the card prefix, such as `HDMI-A-1`.
    public var connector: String
    public var card: String
    public var status: Status
    /// `On`, `Off`, `Standby`, `Suspend` from sysfs `dpms`, when readable.
    public var dpms: String?
    public var enabled: Bool?

    public init(connector: String, card: String, status: Status, dpms: String? = nil, enabled: Bool? = nil) {
        self.connector = connector
        self.card = card
        self.status = status
        self.dpms = dpms
        self.enabled = enabled
    }
}

/// A backlight (`/sys/class/backlight/*`).
public struct Backlight: Codable, Sendable, Hashable {
    public var name: String
    /// `bl_power`: 0 is on (FB_BLANK_UNBLANK), anything else is off.
    public var power: Int?
    public var brightness: Int?
    public var maxBrightness: Int?

    public init(name: String, power: Int? = nil, brightness: Int? = nil, maxBrightness: Int? = nil) {
        self.name = name
        self.power = power
        self.brightness = brightness
        self.maxBrightness = maxBrightness
    }

    enum CodingKeys: String, CodingKey {
        case name, power, brightness
        case maxBrightness = "max_brightness"
    }
}

/// A network interface.
public struct NetworkInterface: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable {
        case ethernet, wifi, other
    }

    public var interface: String
    public var kind: Kind
    public var mac: String?

    public init(interface: String, kind: Kind, mac: String? = nil) {
        self.interface = interface
        self.kind = kind
        self.mac = mac
    }
}
