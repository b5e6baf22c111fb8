import ClassroomCore
import Testing

/// Summing short periods of speech totals into one minute (the agent meters ¼ s at a time).
@Suite("Speech activity totals: merging periods")
struct SpeechActivityTotalsMergeTests {
    static func frame(speech: Bool, meanSquare: Double, peak: Double, clipped: Bool = false) -> SpeechFrame {
        SpeechFrame(
            rmsDBFS: 0, peakDBFS: 0,
            meanSquare: meanSquare, peakLinear: peak, clipped: clipped, isSpeech: speech, decisionEnergyDBFS: 0)
    }

    @Test("two periods merged equal one period fed all frames")
    func mergeEqualsOnePass() {
        let frames = [
            Self.frame(speech: true, meanSquare: 0.01, peak: 0.3), Self.frame(speech: false, meanSquare: 0.0001, peak: 0.02),
            Self.frame(speech: true, meanSquare: 0.04, peak: 0.9, clipped: true),
            Self.frame(speech: false, meanSquare: 0, peak: 0),
        ]
        var whole = SpeechActivityTotals()
        for frame in frames { whole.add(frame) }
        var first = SpeechActivityTotals()
        var second = SpeechActivityTotals()
        for frame in frames.prefix(1) { first.add(frame) }
        for frame in frames.dropFirst() { second.add(frame) }
        first.add(second)
        let meanDifference = abs((first.meanDBFS ?? 0) - (whole.meanDBFS ?? 1))
        #expect(meanDifference < 1e-9, "same mean level up to rounding")
        #expect(first.frames == 4)
        #expect(first.speechFrames == 2)
        #expect(first.clippedFrames == 1)
        #expect(first.peakDBFS == whole.peakDBFS)
    }

    @Test("merging an empty period changes nothing; merging into an empty one copies it")
    func emptyPeriods() {
        var some = SpeechActivityTotals()
        some.add(Self.frame(speech: true, meanSquare: 0.02, peak: 0.5))
        var merged = some
        merged.add(SpeechActivityTotals())
        #expect(merged == some)
        var empty = SpeechActivityTotals()
        empty.add(some)
        #expect(empty == some)
        #expect(SpeechActivityTotals().meanDBFS == nil)
    }

    @Test("the louder period's peak wins, whichever comes first")
    func peakIsMaximum() {
        var loud = SpeechActivityTotals()
        loud.add(Self.frame(speech: true, meanSquare: 0.1, peak: 0.8))
        var quiet = SpeechActivityTotals()
        quiet.add(Self.frame(speech: false, meanSquare: 0.001, peak: 0.1))
        var a = loud
        a.add(quiet)
        var b = quiet
        b.add(loud)
        #expect(a.peakDBFS == loud.peakDBFS)
        #expect(b.peakDBFS == loud.peakDBFS)
        #expect(a.meanDBFS == b.meanDBFS)
    }
}
