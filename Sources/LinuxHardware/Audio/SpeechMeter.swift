import ClassroomCore

/// Meters speech activity from an ALSA capture PCM: frames in, figures out. The one capture loop of the
/// agent: the usage meter reads only its figures; a spot-check stream (``MicrophoneTap``) also takes
/// the samples.
public final class SpeechMeter {
    private let pcm: PCM  // private: samples leave only through `run`'s `onSamples`, for a stream
    public private(set) var detector: SpeechActivityDetector
    private var frame: [Int16]
    /// Frames captured and analysed since the meter was opened; after a failure (a microphone unplugged
    /// mid-capture) it says how much audio was metered before.
    public private(set) var framesCaptured = 0

    /// Opens `device` (an ALSA name such as `default`, `hw:1,0` or `plughw:1,0`) for 16 kHz mono capture;
    /// a `hw:` name is opened through ALSA's plug layer, which converts from what the card delivers.
    public init(device: String, configuration: SpeechActivityConfiguration = .init()) throws(HardwareError) {
        self.pcm = try PCM(name: ALSA.converting(device), direction: .capture, sampleRate: configuration.sampleRate, channels: 1)
        self.detector = SpeechActivityDetector(configuration: configuration)
        self.frame = Array(repeating: 0, count: configuration.frameSamples)
    }

    /// Frames per second at the configured frame size.
    public var framesPerSecond: Double { 1 / detector.configuration.frameSeconds }

    /// Captures and analyses `frames` frames; the samples are overwritten frame by frame and never kept.
    public func measure(frames: Int) throws(HardwareError) -> SpeechActivityTotals {
        var totals = SpeechActivityTotals()
        for _ in 0..<max(0, frames) {
            totals.add(try next())
        }
        return totals
    }

    /// Captures continuously, handing each completed period (by default one minute) of totals to
    /// `onPeriod`, until `shouldStop` returns true (checked once per frame).
    ///
    /// - Parameter onSamples: receives each frame's samples after they were analysed (a spot-check
    ///   stream's audio); nil for metering alone, where no sample ever leaves the meter.
    public func run(
        periodFrames: Int? = nil, shouldStop: () -> Bool, onPeriod: (SpeechActivityTotals) -> Void,
        onSamples: ((UnsafeBufferPointer<Int16>) -> Void)? = nil
    ) throws(HardwareError) {
        let period = periodFrames ?? Int((60 * framesPerSecond).rounded())
        var totals = SpeechActivityTotals()
        while !shouldStop() {
            totals.add(try next())
            if let onSamples { frame.withUnsafeBufferPointer(onSamples) }
            if totals.frames >= period {
                onPeriod(totals)
                totals = SpeechActivityTotals()
            }
        }
        if totals.frames > 0 { onPeriod(totals) }
    }

    private func next() throws(HardwareError) -> SpeechFrame {
        try pcm.read(into: &frame)
        framesCaptured += 1
        return detector.analyze(frame: frame)
    }
}
