/// Frame size and thresholds of ``SpeechActivityDetector``.
///
/// Measured on the test fixtures (16 kHz, 20 ms frames, 10 s each; Tests/Fixtures/audio): how far
/// each frame's pre-emphasised energy sits above the adaptive floor —
///
/// | fixture | median | 99th percentile | frames ≥ 9 dB |
/// |---|---|---|---|
/// | espeak-ng English / Mandarin | 58.5 / 60.8 dB | 74 dB | 79 % / 88 % |
/// | English over brown fan noise (≈ 15 dB SNR) | 15.5 dB | 30.1 dB | 67 % |
/// | near-silence (−80 dBFS), pink noise, brown noise | 1.1–1.2 dB | 2.0–2.3 dB (max 2.5) | 0 % |
/// | 1 kHz tone | 0 dB | 0 dB | 0 % |
///
/// So the 9 dB margin sits 6.5 dB above the worst steady noise frame and below the median of speech
/// in fan noise; the −60 dBFS gate only matters for near-silence.
public struct SpeechActivityConfiguration: Sendable, Hashable {
    /// Sample rate the frames are taken at (ALSA's plug layer converts on real hardware).
    public var sampleRate: Int
    /// Samples per frame: 320 at 16 kHz is 20 ms.
    public var frameSamples: Int
    /// How far above the noise floor a frame must be to count as speech (dB).
    public var marginDB: Double
    /// Frames below this decision energy are never speech (near-silence, dBFS).
    public var absoluteGateDBFS: Double
    /// Frames over which the floor's minimum is taken (75 × 20 ms = 1.5 s).
    public var floorWindowFrames: Int
    /// Share of the distance to the window minimum the floor rises per frame (smooth rise, instant fall).
    public var floorRise: Double
    /// Frames a speech decision is held after the last frame above the margin (inside-word gaps).
    public var hangoverFrames: Int
    /// Samples at full scale that make a frame count as clipped.
    public var clippedSamplesPerFrame: Int

    public init(
        sampleRate: Int = 16_000, frameSamples: Int = 320, marginDB: Double = 9, absoluteGateDBFS: Double = -60,
        floorWindowFrames: Int = 75, floorRise: Double = 0.05, hangoverFrames: Int = 4, clippedSamplesPerFrame: Int = 2
    ) {
        self.sampleRate = sampleRate
        self.frameSamples = frameSamples
        self.marginDB = marginDB
        self.absoluteGateDBFS = absoluteGateDBFS
        self.floorWindowFrames = max(1, floorWindowFrames)
        self.floorRise = floorRise
        self.hangoverFrames = hangoverFrames
        self.clippedSamplesPerFrame = max(1, clippedSamplesPerFrame)
    }

    /// Seconds one frame lasts.
    public var frameSeconds: Double { Double(frameSamples) / Double(sampleRate) }
}
