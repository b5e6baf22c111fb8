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

/// A device failure in plain words, naming the device (such as ALSA's "no such ALSA PCM 'x' …").
public struct HardwareFault: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Plays the spot-check chime (a short three-tone bell) that tells the room a stream starts.
public protocol ChimePlayer: Sendable {
    /// Plays the chime on the playback device `device` and returns once it has been heard.
    func playChime(device: String) async throws(HardwareFault)
}

/// The microphone's samples for a spot-check stream.
public protocol StreamMicrophone: Sendable {
    /// Starts capturing `device` on a thread of its own: blocks of 16 kHz mono S16LE samples, paced to
    /// real time, go to `samples` (called on that thread) until ``MicrophoneCapture/stop()``.
    ///
    /// - Important: the stream never starves: a device that cannot be opened or fails gives silence at
    ///   the same pace, and the error is in ``MicrophoneCapture/report``.
    func startCapture(device: String, samples: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) -> any MicrophoneCapture
}

/// One running capture of a ``StreamMicrophone``.
public protocol MicrophoneCapture: Sendable {
    /// Speech figures of the samples delivered so far, and the device's error, if any.
    var report: StreamAudioReport { get }
    /// Ends the capture; the thread stops within one block of samples (100 ms).
    func stop()
}

/// What a stream's microphone measured: speech figures of the samples sent, and the device's error.
public struct StreamAudioReport: Sendable, Hashable {
    public var totals: SpeechActivityTotals
    public var error: String?

    public init(totals: SpeechActivityTotals = SpeechActivityTotals(), error: String? = nil) {
        self.totals = totals
        self.error = error
    }
}

/// The hardware adapters the agent reads (LinuxHardware's implementations are wired in by `classroomd`).
public struct AgentHardware: Sendable {
    public var display: (any DisplaySignal)?
    public var touch: (any TouchSignal)?
    public var speech: (any SpeechSignal)?
    public var inventory: (any InventorySource)?
    /// The spot-check chime; nil: no chime can be played (answered as a failure of a chime command).
    public var chime: (any ChimePlayer)?
    /// The microphone's samples for a spot-check stream; nil: the room cannot stream (`no_microphone`).
    public var streamMicrophone: (any StreamMicrophone)?

    public init(
        display: (any DisplaySignal)? = nil, touch: (any TouchSignal)? = nil, speech: (any SpeechSignal)? = nil,
        inventory: (any InventorySource)? = nil, chime: (any ChimePlayer)? = nil,
        streamMicrophone: (any StreamMicrophone)? = nil
    ) {
        self.display = display
        self.touch = touch
        self.speech = speech
        self.inventory = inventory
        self.chime = chime
        self.streamMicrophone = streamMicrophone
    }

    /// Whether any usage signal is wired (otherwise no usage minutes are produced).
    public var metersUsage: Bool { display != nil || touch != nil || speech != nil }
}
