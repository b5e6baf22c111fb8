import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd probe-audio` capturing through ALSA from `type file` PCMs fed with espeak-ng
/// speech and sox noise and tones.
@Suite("classroomd probe-audio through real ALSA capture")
struct ProbeAudioTests {
    @Test("a teacher talking is speech, in English and in Mandarin", arguments: ["speech_en", "speech_zh"])
    func speech(pcm: String) throws {
        let result = try AudioFixtures.probe(pcm)
        #expect(result.frames == 500)  // 10 s of 20 ms frames
        #expect(result.speech_ratio > 0.5)
        #expect(result.rms_dbfs > -30 && result.rms_dbfs < -10)
        #expect(result.clipping_ratio == 0)
    }

    @Test(
        "silence, steady fan noise and a constant tone are not speech",
        arguments: ["near_silence", "noise_pink", "noise_brown", "tone_1khz"])
    func notSpeech(pcm: String) throws {
        let result = try AudioFixtures.probe(pcm)
        #expect(result.frames == 500)
        #expect(result.speech_ratio < 0.05, "speech_ratio \(result.speech_ratio)")
    }

    @Test("levels are measured: near-silence is quiet, the tone is loud and steady")
    func levels() throws {
        let silence = try AudioFixtures.probe("near_silence")
        #expect(silence.rms_dbfs < -60)
        let tone = try AudioFixtures.probe("tone_1khz")
        // A sine at 0.3 of full scale: RMS 0.3/√2 → −13.5 dBFS, peak −10.5 dBFS.
        #expect(abs(tone.rms_dbfs - -13.5) < 0.5)
        #expect(abs(tone.peak_dbfs - -10.5) < 0.5)
    }

    @Test("speech over fan noise is still speech")
    func speechOverFan() throws {
        #expect(try AudioFixtures.probe("speech_over_fan").speech_ratio > 0.5)
    }

    @Test("an overdriven microphone reports clipping")
    func clipping() throws {
        let result = try AudioFixtures.probe("speech_clipped")
        #expect(result.clipping_ratio > 0.1)
        #expect(result.peak_dbfs > -0.1)
    }

    @Test("a PCM that does not exist: clear message naming it, exit 1, no crash")
    func noSuchPCM() throws {
        let output = try TestProcess.run(
            try TestProcess.product("classroomd"), ["probe-audio", "--device", "no_such_mic", "--seconds", "1"],
            environment: try AudioFixtures.alsaEnvironment())
        #expect(output.status == 1)
        #expect(output.stderr.contains("no such ALSA PCM 'no_such_mic'"))
        #expect(output.stdout.isEmpty)
    }

    @Test("a capture file that cannot be read fails with a message, not a crash")
    func unreadableInfile() throws {
        let dir = try TestProcess.temporaryDirectory("alsa")
        defer { try? FileManager.default.removeItem(at: dir) }
        let conf = dir.appending(path: "asound.conf")
        try """
        pcm.gone { type file slave.pcm { type null } file "/dev/null" infile "\(dir.path)/missing.raw" format "raw" }
        """.write(to: conf, atomically: true, encoding: .utf8)
        let output = try TestProcess.run(
            try TestProcess.product("classroomd"), ["probe-audio", "--device", "gone", "--seconds", "1"],
            environment: ["ALSA_CONFIG_PATH": conf.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("'gone'"))
    }

    @Test("--seconds out of range is rejected before any capture", arguments: ["0", "-3", "99999"])
    func badSeconds(seconds: String) throws {
        let output = try TestProcess.run(
            try TestProcess.product("classroomd"), ["probe-audio", "--device", "speech_en", "--seconds=\(seconds)"],
            environment: try AudioFixtures.alsaEnvironment())
        #expect(output.status != 0)
        #expect(output.stderr.contains("--seconds"))
    }
}
