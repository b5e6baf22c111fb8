import ClassroomTestSupport
import Foundation
import Testing

@Suite("classroomd chime through real ALSA playback")
struct ChimeTests {
    @Test("the chime is played: 1.3 s of 16 kHz mono reach the PCM, with tone energy")
    func playsChime() throws {
        let dir = try AudioFixtures.directory.get()
        let out = dir.appending(path: "chime-out.raw")
        try? FileManager.default.removeItem(at: out)
        let output = try TestProcess.run(
            try TestProcess.product("classroomd"), ["chime", "--device", "chime_out"],
            environment: try AudioFixtures.alsaEnvironment())
        #expect(output.status == 0, "\(output.stderr)")
        let data = try Data(contentsOf: out)
        #expect(data.count == Int(1.3 * 16_000) * 2)
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        let peak = samples.map { abs(Int($0)) }.max() ?? 0
        #expect(peak > 8_000 && peak < 32_767)  // audible, never clipped
    }

    @Test("chime on a missing PCM: exit 1 with the PCM named")
    func missingPCM() throws {
        let output = try TestProcess.run(
            try TestProcess.product("classroomd"), ["chime", "--device", "no_speaker"],
            environment: try AudioFixtures.alsaEnvironment())
        #expect(output.status == 1)
        #expect(output.stderr.contains("no such ALSA PCM 'no_speaker'"))
    }
}
