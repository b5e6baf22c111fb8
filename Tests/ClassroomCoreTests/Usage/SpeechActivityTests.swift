import ClassroomCore
import Foundation
import Testing

/// The pure speech-activity core on synthetic frames (the ALSA path is tested in LinuxHardwareTests).
@Suite("Speech activity detector")
struct SpeechActivityTests {
    static let frame = 320

    static func sine(amplitude: Double, frequency: Double, frames: Int, phase: inout Double) -> [[Int16]] {
        (0..<frames).map { _ in
            (0..<frame).map { _ in
                phase += 2 * Double.pi * frequency / 16_000
                return Int16((sin(phase) * amplitude * 32767).rounded())
            }
        }
    }

    static func noise(amplitude: Double, frames: Int, generator: inout SeededGenerator) -> [[Int16]] {
        (0..<frames).map { _ in (0..<frame).map { _ in Int16(Double.random(in: -1...1, using: &generator) * amplitude * 32767) } }
    }

    static func run(_ frames: [[Int16]]) -> (totals: SpeechActivityTotals, decisions: [Bool]) {
        var detector = SpeechActivityDetector()
        var totals = SpeechActivityTotals()
        var decisions: [Bool] = []
        for frame in frames {
            let result = detector.analyze(frame: frame)
            totals.add(result)
            decisions.append(result.isSpeech)
        }
        return (totals, decisions)
    }

    @Test("digital silence is −120 dBFS and never speech")
    func silence() {
        let (totals, decisions) = Self.run(Array(repeating: Array(repeating: 0, count: Self.frame), count: 100))
        #expect(totals.meanDBFS == -120)
        #expect(totals.peakDBFS == -120)
        #expect(!decisions.contains(true))
    }

    @Test("levels: a full-scale square wave is 0 dBFS and clipped; half scale is −6 dBFS")
    func levels() {
        var detector = SpeechActivityDetector()
        let square = (0..<Self.frame).map { $0 % 20 < 10 ? Int16.max : Int16.min }
        let full = detector.analyze(frame: square)
        #expect(abs(full.rmsDBFS) < 0.01)
        #expect(full.clipped)
        let half = detector.analyze(frame: square.map { $0 / 2 })
        #expect(abs(half.rmsDBFS - -6.02) < 0.05)
        #expect(!half.clipped)
    }

    @Test("a steady tone is not speech, from its first second on")
    func tone() {
        var phase = 0.0
        let (totals, _) = Self.run(Self.sine(amplitude: 0.3, frequency: 1000, frames: 500, phase: &phase))
        #expect(totals.speechRatio < 0.02)
    }

    @Test("steady white noise is not speech")
    func steadyNoise() {
        var generator = SeededGenerator(seed: 1)
        let (totals, _) = Self.run(Self.noise(amplitude: 0.05, frames: 500, generator: &generator))
        #expect(totals.speechRatio < 0.05)
    }

    @Test("syllable-like bursts (4 per second) over quiet noise are speech")
    func bursts() {
        var generator = SeededGenerator(seed: 2)
        var phase = 0.0
        var frames: [[Int16]] = []
        for index in 0..<500 {
            // 150 ms voiced bursts every 250 ms, 30 dB above a −66 dBFS background.
            let voiced = index % 12 < 7
            let background = Self.noise(amplitude: 0.0005, frames: 1, generator: &generator)[0]
            let voice = voiced ? Self.sine(amplitude: 0.2, frequency: 220, frames: 1, phase: &phase)[0] : []
            frames.append(voiced ? zip(background, voice).map { $0 &+ $1 } : background)
        }
        let (totals, _) = Self.run(frames)
        #expect(totals.speechRatio > 0.5)
    }

    @Test("a tone that starts mid-stream stops counting as speech within 3 seconds")
    func toneOnset() {
        var generator = SeededGenerator(seed: 3)
        var phase = 0.0
        let frames =
            Self.noise(amplitude: 0.0005, frames: 100, generator: &generator)
            + Self.sine(amplitude: 0.3, frequency: 1000, frames: 400, phase: &phase)
        let (_, decisions) = Self.run(frames)
        #expect(!decisions[250...].contains(true))
    }

    @Test("totals: speech seconds, ratios and the usage minute's audio fields")
    func totals() {
        var totals = SpeechActivityTotals()
        #expect(totals.meanDBFS == nil && totals.speechRatio == 0)
        let loud = SpeechFrame(
            rmsDBFS: -20, peakDBFS: -6, meanSquare: 0.01, peakLinear: 0.5, clipped: false, isSpeech: true, decisionEnergyDBFS: -20
        )
        let clip = SpeechFrame(
            rmsDBFS: 0, peakDBFS: 0, meanSquare: 1, peakLinear: 1, clipped: true, isSpeech: false, decisionEnergyDBFS: 0)
        for _ in 0..<3 { totals.add(loud) }
        totals.add(clip)
        #expect(totals.speechRatio == 0.75)
        #expect(totals.clippingRatio == 0.25)
        #expect(abs(totals.speechSeconds(frameSeconds: 0.02) - 0.06) < 1e-9)
        #expect(totals.peakDBFS == 0)
        var minute = UsageMinute(
            minuteStart: 0, displayOn: true, touchEvents: 0, speechSeconds: 0, meanDBFS: nil, peakDBFS: nil,
            clippingRatio: 0, devicesPresent: DevicesPresent())
        totals.apply(to: &minute, frameSeconds: 0.02)
        #expect(minute.clippingRatio == 0.25)
        #expect(minute.meanDBFS != nil)
    }
}
