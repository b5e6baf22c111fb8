#if canImport(Glibc)
    import Glibc  // log10 only
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-frame levels and a speech / no-speech decision for 16-bit mono audio.
///
/// Pure DSP, no I/O: `LinuxHardware` feeds it frames read from ALSA, tests feed it synthetic ones.
/// Only figures come out (levels in dBFS, a boolean per frame) — never samples.
///
/// The decision (tuned on espeak-ng speech, sox noise and tones at 16 kHz; figures in
/// ``SpeechActivityConfiguration``):
/// 1. the frame is pre-emphasised (`y[n] = x[n] − 0.95·x[n−1]`) so that low-frequency fan rumble
///    (brown noise) does not dominate the energy used for the decision;
/// 2. an adaptive noise floor follows the minimum of the last ``SpeechActivityConfiguration/floorWindowFrames``
///    frame energies: it drops at once and rises smoothly, so steady fan or projector noise and a
///    constant tone become the floor within a couple of seconds;
/// 3. a frame is speech when its energy is at least ``SpeechActivityConfiguration/marginDB`` above that
///    floor and above an absolute gate; speech's syllable rhythm (4–8 Hz) keeps dipping back to the floor,
///    steady sounds do not rise above it. A short hangover bridges the gaps inside words.
public struct SpeechActivityDetector: Sendable {
    public let configuration: SpeechActivityConfiguration
    private var history: [Double]
    private var historyIndex = 0
    private var historyCount = 0
    private var floor: Double?
    private var hangover = 0
    private var previousSample: Double = 0

    public init(configuration: SpeechActivityConfiguration = .init()) {
        self.configuration = configuration
        self.history = Array(repeating: 0, count: configuration.floorWindowFrames)
    }

    /// The current noise floor of the decision energy, in dBFS (nil before the first frame).
    public var noiseFloorDBFS: Double? { floor }

    /// Measures one frame and decides whether it is speech.
    public mutating func analyze<Samples: Collection>(frame: Samples) -> SpeechFrame where Samples.Element == Int16 {
        var sumSquares = 0.0
        var emphasisedSquares = 0.0
        var peak: Int32 = 0
        var clipped = 0
        var previous = previousSample
        for sample in frame {
            let wide = Int32(sample)
            let magnitude = wide < 0 ? -wide : wide
            if magnitude > peak { peak = magnitude }
            if magnitude >= 32767 { clipped += 1 }
            let value = Double(sample)
            sumSquares += value * value
            let emphasised = value - 0.95 * previous
            emphasisedSquares += emphasised * emphasised
            previous = value
        }
        previousSample = previous
        let count = Double(max(frame.count, 1))
        let full = 32768.0 * 32768.0
        let energy = Self.decibels(emphasisedSquares / count / full)
        let speech = decide(energy: energy)
        return SpeechFrame(
            rmsDBFS: Self.decibels(sumSquares / count / full), peakDBFS: Self.decibels(Double(peak) * Double(peak) / full),
            meanSquare: sumSquares / count / full, peakLinear: Double(peak) / 32768.0,
            clipped: clipped >= configuration.clippedSamplesPerFrame, isSpeech: speech, decisionEnergyDBFS: energy)
    }

    private mutating func decide(energy: Double) -> Bool {
        history[historyIndex] = energy
        historyIndex = (historyIndex + 1) % history.count
        historyCount = min(historyCount + 1, history.count)
        var minimum = Double.infinity
        for index in 0..<historyCount where history[index] < minimum { minimum = history[index] }
        if let current = floor, minimum >= current {
            floor = current + configuration.floorRise * (minimum - current)
        } else {
            floor = minimum
        }
        let aboveFloor = energy - (floor ?? energy)
        if aboveFloor >= configuration.marginDB && energy >= configuration.absoluteGateDBFS {
            hangover = configuration.hangoverFrames
            return true
        }
        if hangover > 0 {
            hangover -= 1
            return true
        }
        return false
    }

    /// 10·log10(power), floored at −120 dBFS for digital silence.
    static func decibels(_ power: Double) -> Double {
        power > 1e-12 ? 10 * log10(power) : -120
    }
}

/// What was measured of one frame.
public struct SpeechFrame: Sendable, Hashable {
    /// RMS level of the raw frame, dBFS (0 is a full-scale square wave; −120 digital silence).
    public var rmsDBFS: Double
    /// Peak sample, dBFS.
    public var peakDBFS: Double
    /// Mean square relative to full scale, for averaging levels in the power domain.
    public var meanSquare: Double
    /// Peak relative to full scale (0–1).
    public var peakLinear: Double
    /// Whether the frame clipped (enough samples at full scale).
    public var clipped: Bool
    /// The speech decision.
    public var isSpeech: Bool
    /// The pre-emphasised energy the decision used, dBFS.
    public var decisionEnergyDBFS: Double

    public init(
        rmsDBFS: Double, peakDBFS: Double, meanSquare: Double, peakLinear: Double, clipped: Bool, isSpeech: Bool,
        decisionEnergyDBFS: Double
    ) {
        self.rmsDBFS = rmsDBFS
        self.peakDBFS = peakDBFS
        self.meanSquare = meanSquare
        self.peakLinear = peakLinear
        self.clipped = clipped
        self.isSpeech = isSpeech
        self.decisionEnergyDBFS = decisionEnergyDBFS
    }
}
