import ClassroomCore
import Foundation
import LinuxHardware
import Testing

/// The library API the agent uses: `SpeechMeter` in-process on the ALSA fixture PCMs.
@Suite("SpeechMeter: periods of figures from ALSA capture", .serialized)
struct SpeechMeterTests {
    init() throws {
        // Every in-process ALSA user in this test binary reads the same fixture configuration.
        setenv("ALSA_CONFIG_PATH", try AudioFixtures.alsaEnvironment()["ALSA_CONFIG_PATH"]!, 1)
    }

    @Test("run hands over one totals value per period, then the remainder when stopped")
    func periods() throws {
        let meter = try SpeechMeter(device: "speech_zh")
        var periods: [SpeechActivityTotals] = []
        var frames = 0
        try meter.run(
            periodFrames: 100,
            shouldStop: {
                frames += 1
                return frames > 250
            },
            onPeriod: { periods.append($0) })
        #expect(periods.map(\.frames) == [100, 100, 50])
        #expect(periods.allSatisfy { $0.speechRatio > 0.5 })
        #expect(periods.allSatisfy { ($0.meanDBFS ?? -120) > -40 })
    }

    @Test("measure: a tone gives levels but no speech")
    func tone() throws {
        let totals = try SpeechMeter(device: "tone_1khz").measure(frames: 200)
        #expect(totals.frames == 200)
        #expect(totals.speechFrames == 0)
        #expect(abs((totals.peakDBFS ?? 0) - -10.5) < 0.5)
    }

    @Test("a missing PCM is a typed noSuchDevice error")
    func missing() {
        #expect {
            _ = try SpeechMeter(device: "no_such_pcm")
        } throws: { error in
            (error as? HardwareError)?.kind == .noSuchDevice
        }
    }
}
