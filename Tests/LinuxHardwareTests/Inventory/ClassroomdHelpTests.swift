import ClassroomTestSupport
import Testing

@Suite("classroomd command line")
struct ClassroomdHelpTests {
    @Test("--help lists the hardware commands")
    func help() throws {
        let output = try TestProcess.run(try TestProcess.product("classroomd"), ["--help"])
        #expect(output.status == 0)
        for command in ["inventory", "monitor", "probe-audio", "probe-touch", "chime"] {
            #expect(output.stdout.contains(command), "\(command) missing from --help")
        }
    }

    @Test("probe-audio --help documents the JSON keys")
    func probeAudioHelp() throws {
        let output = try TestProcess.run(try TestProcess.product("classroomd"), ["probe-audio", "--help"])
        #expect(output.stdout.contains("speech_ratio"))
        #expect(output.stdout.contains("--device"))
    }

    @Test("an unknown subcommand fails with a usage message")
    func unknown() throws {
        let output = try TestProcess.run(try TestProcess.product("classroomd"), ["inventroy"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("inventroy"))
    }
}
