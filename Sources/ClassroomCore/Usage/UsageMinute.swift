#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One minute of a classroom machine's real use — figures only, never content.
///
/// - Important: nothing here can reconstruct what was said or touched: speech is seconds and
///   levels, touch is a count of events (never coordinates).
public struct UsageMinute: Codable, Sendable, Hashable {
    /// Start of the minute on the agent's clock, milliseconds since 1970 (the collector corrects skew).
    public var minuteStart: Int64
    /// Whether a display was connected and on (connector connected, DPMS on, backlight powered).
    public var displayOn: Bool
    /// Touch events counted on touchscreens during the minute.
    public var touchEvents: Int
    /// Seconds judged as speech by the voice-activity decision.
    public var speechSeconds: Double
    /// Mean and peak level of the microphone in dBFS; nil when no microphone was metered.
    public var meanDBFS: Double?
    public var peakDBFS: Double?
    /// Share of frames that clipped (0–1).
    public var clippingRatio: Double
    /// Which kinds of device were present during the minute.
    public var devicesPresent: DevicesPresent

    public init(
        minuteStart: Int64, displayOn: Bool, touchEvents: Int, speechSeconds: Double,
        meanDBFS: Double?, peakDBFS: Double?, clippingRatio: Double, devicesPresent: DevicesPresent
    ) {
        self.minuteStart = minuteStart
        self.displayOn = displayOn
        self.touchEvents = touchEvents
        self.speechSeconds = speechSeconds
        self.meanDBFS = meanDBFS
        self.peakDBFS = peakDBFS
        self.clippingRatio = clippingRatio
        self.devicesPresent = devicesPresent
    }

    /// Whether anything in the minute shows the room's equipment in use (display on with touch or speech).
    public var isActive: Bool { displayOn && (touchEvents > 0 || speechSeconds >= 5) }

    enum CodingKeys: String, CodingKey {
        case minuteStart = "minute_start"
        case displayOn = "display_on"
        case touchEvents = "touch_events"
        case speechSeconds = "speech_seconds"
        case meanDBFS = "mean_dbfs"
        case peakDBFS = "peak_dbfs"
        case clippingRatio = "clipping_ratio"
        case devicesPresent = "devices_present"
    }
}

/// Counts of devices present, as summarised in each usage minute.
public struct DevicesPresent: Codable, Sendable, Hashable {
    public var cameras: Int
    public var microphones: Int
    public var speakers: Int
    public var touchscreens: Int
    public var displays: Int

    public init(cameras: Int = 0, microphones: Int = 0, speakers: Int = 0, touchscreens: Int = 0, displays: Int = 0) {
        self.cameras = cameras
        self.microphones = microphones
        self.speakers = speakers
        self.touchscreens = touchscreens
        self.displays = displays
    }

    public init(_ inventory: HardwareInventory) {
        self.init(
            cameras: inventory.cameras.count, microphones: inventory.microphones.count,
            speakers: inventory.speakers.count, touchscreens: inventory.touchscreens.count,
            displays: inventory.displays.filter { $0.status == .connected }.count)
    }
}
