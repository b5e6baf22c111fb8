import ClassroomTestSupport
import Foundation
import Testing

/// `Systemd/classroomd.service` is accepted by `systemd-analyze verify` and says what the daemon needs.
@Suite struct UnitFileTests {
    static let unit = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Systemd/classroomd.service")

    /// Verifies `text` as a unit whose ExecStart is the built `classroomd` (verify checks it exists).
    func verify(_ text: String, name: String) throws -> TestProcess.Output {
        let analyze = URL(filePath: "/usr/bin/systemd-analyze")
        guard FileManager.default.isExecutableFile(atPath: analyze.path) else {
            throw TestSupportError("systemd-analyze is missing: scripts/install-deps.sh test installs 'systemd'")
        }
        let dir = try TestProcess.temporaryDirectory("unit")
        let file = dir.appending(path: name)
        let binary = try TestProcess.product("classroomd").path
        try text.replacingOccurrences(of: "/usr/bin/classroomd", with: binary).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try TestProcess.run(analyze, ["verify", file.path])
    }

    @Test func systemdAnalyzeAcceptsTheUnit() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        let out = try verify(text, name: "classroomd.service")
        #expect(out.status == 0, "\(out.stderr)")
        // verify exits 0 on ignored settings but names them on stderr: a clean unit prints nothing.
        #expect(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(out.stderr)")
        for line in [
            "Type=notify", "WatchdogSec=", "Restart=on-failure", "StateDirectory=classroomd", "ConfigurationDirectory=classroomd",
            "User=classroomd", "RestartPreventExitStatus=78 73", "ExecReload=/bin/kill -HUP $MAINPID",
        ] {
            #expect(text.contains(line), "missing \(line)")
        }
    }

    @Test func verifyNamesABrokenSetting() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8).replacingOccurrences(of: "Type=notify", with: "Type=notfy")
        let out = try verify(text, name: "classroomd.service")
        #expect(out.stderr.contains("Failed to parse service type") && out.stderr.contains("notfy"), "\(out.stderr)")
    }
}
