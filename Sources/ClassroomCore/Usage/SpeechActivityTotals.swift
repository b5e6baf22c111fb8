/// Running totals of ``SpeechFrame``s: one per minute for ``UsageMinute``, one per run for `probe-audio`.
public struct SpeechActivityTotals: Sendable, Hashable {
    public private(set) var frames = 0
    public private(set) var speechFrames = 0
    public private(set) var clippedFrames = 0
    private var sumMeanSquare = 0.0
    private var peak = 0.0

    public init() {}

    public mutating func add(_ frame: SpeechFrame) {
        frames += 1
        if frame.isSpeech { speechFrames += 1 }
        if frame.clipped { clippedFrames += 1 }
        sumMeanSquare += frame.meanSquare
        if frame.peakLinear > peak { peak = frame.peakLinear }
    }

    /// Share of frames judged speech (0–1; 0 without frames).
    public var speechRatio: Double { frames == 0 ? 0 : Double(speechFrames) / Double(frames) }
    /// Share of frames that clipped (0–1).
    public var clippingRatio: Double { frames == 0 ? 0 : Double(clippedFrames) / Double(frames) }
    /// Mean level over all frames in the power domain, dBFS (nil without frames).
    public var meanDBFS: Double? {
        frames == 0 ? nil : SpeechActivityDetector.decibels(sumMeanSquare / Double(frames))
    }
    /// Highest sample, dBFS (nil without frames).
    public var peakDBFS: Double? { frames == 0 ? nil : SpeechActivityDetector.decibels(peak * peak) }

    /// Seconds of speech given the frame length.
    public func speechSeconds(frameSeconds: Double) -> Double { Double(speechFrames) * frameSeconds }

    /// Fills the audio figures of a usage minute (`speech_seconds`, `mean_dbfs`, `peak_dbfs`, `clipping_ratio`).
    public func apply(to minute: inout UsageMinute, frameSeconds: Double) {
        minute.speechSeconds = speechSeconds(frameSeconds: frameSeconds)
        minute.meanDBFS = meanDBFS
        minute.peakDBFS = peakDBFS
        minute.clippingRatio = clippingRatio
    }
}

extension SpeechActivityTotals {
    /// Adds the frames of another period (the agent sums short periods into its minute).
    public mutating func add(_ other: SpeechActivityTotals) {
        frames += other.frames
        speechFrames += other.speechFrames
        clippedFrames += other.clippedFrames
        sumMeanSquare += other.sumMeanSquare
        if other.peak > peak { peak = other.peak }
    }
}
