import ClassroomTestSupport
import Foundation

/// A state directory, a config file and the real `classroomd` built by SwiftPM (the shared harness).
typealias AgentUnderTest = ClassroomdProcess

extension ClassroomdProcess {
    /// Writes a config for `collector` (`extra` lines appended) into a fresh temporary directory.
    init(collector: String?, extra: String = "", label: String = "agent") throws {
        try self.init(label: label)
        try writeConfig(collector: collector, extra: extra)
    }

    func enroll(_ collector: FakeCollector, token: String = "cfe_test", room: String = "room-1") throws -> TestProcess.Output {
        try classroomd(["enroll", "--collector", collector.baseURL, "--token", token, "--room", room, "--config", configPath])
    }
}
