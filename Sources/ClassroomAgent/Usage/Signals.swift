import ClassroomCore
import ClassroomWire

/// Whether a display is connected and on (DRM connector status, DPMS, backlight power).
public protocol DisplaySignal: Sendable {
    /// The display state now.
    func displayIsOn() async -> Bool
}

/// Counts touch events on the touchscreens (never coordinates).
public protocol TouchSignal: Sendable {
    /// Touch events since the previous call (the counter restarts at 0).
    func takeTouchCount() async -> Int
}

/// Speech activity of the microphone, aggregated since the previous call.
public struct SpeechSummary: Sendable, Hashable {
    public var speechSeconds: Double
    public var meanDBFS: Double?
    public var peakDBFS: Double?
    public var clippingRatio: Double

    public init(speechSeconds: Double, meanDBFS: Double?, peakDBFS: Double?, clippingRatio: Double) {
        self.speechSeconds = speechSeconds
        self.meanDBFS = meanDBFS
        self.peakDBFS = peakDBFS
        self.clippingRatio = clippingRatio
    }
}

/// Voice activity and levels of the microphone (never audio samples).
public protocol SpeechSignal: Sendable {
    /// The summary since the previous call; nil when no microphone was metered.
    func takeSpeechSummary() async -> SpeechSummary?
}

/// The machine's devices now, and hotplug changes as they happen.
public protocol InventorySource: Sendable {
    func snapshot() async throws -> HardwareInventory
    /// Hotplug changes; finishes when the source stops.
    func changes() -> AsyncStream<InventoryChange>
}

/// A microphone the usage meter holds open and lends to the spot-check stream while it runs.
public protocol MicrophoneSharing: Sendable {
    /// Stops metering and closes the capture device; returns once it is closed (bounded wait).
    func lend() async
    /// Meters again.
    func takeBack()
}

/// The hardware adapters the agent reads (LinuxHardware's implementations are wired in by `classroomd`).
public struct AgentHardware: Sendable {
    public var display: (any DisplaySignal)?
    public var touch: (any TouchSignal)?
    public var speech: (any SpeechSignal)?
    public var inventory: (any InventorySource)?

    public init(
        display: (any DisplaySignal)? = nil, touch: (any TouchSignal)? = nil, speech: (any SpeechSignal)? = nil,
        inventory: (any InventorySource)? = nil
    ) {
        self.display = display
        self.touch = touch
        self.speech = speech
        self.inventory = inventory
    }

    /// Whether any usage signal is wired (otherwise no usage minutes are produced).
    public var metersUsage: Bool { display != nil || touch != nil || speech != nil }
}
