import ClassroomTestSupport
import Foundation

/// A state directory, a config file and the real `classroomd` built by SwiftPM.
struct AgentUnderTest {
    let directory: URL
    let configPath: String
    var stateDirectory: String { directory.appending(path: "state").path }

    /// Writes a config for `collector` (`extra` lines appended) into a fresh temporary directory.
    init(collector: String?, extra: String = "", label: String = "agent") throws {
        directory = try TestProcess.temporaryDirectory(label)
        configPath = directory.appending(path: "classroomd.toml").path
        var text = "state_directory = \"\(directory.appending(path: "state").path)\"\n"
        if let collector { text += "collector = \"\(collector)\"\n" }
        text += "first_connect_jitter_seconds = 0\nbackoff_max_seconds = 0.5\npoll_wait_seconds = 2\n"
        // Parallel test daemons must not share the default status page port (top level, before any table in `extra`).
        if !extra.contains("status_port") { text += "status_port = 0\n" }
        text += extra
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func classroomd(_ args: [String], environment: [String: String] = [:]) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomd"), args, environment: environment, timeout: .seconds(60))
    }

    func enroll(_ collector: FakeCollector, token: String = "cfe_test", room: String = "room-1") throws -> TestProcess.Output {
        try classroomd(["enroll", "--collector", collector.baseURL, "--token", token, "--room", room, "--config", configPath])
    }

    struct Status: Decodable {
        var enrolled: Bool
        var device_id: String?
        var queue_depth: Int
        var last_error: String?
        var last_sequence: Int64?
        var outbox_moved_aside: String?
        var dropped_usage_total: Int64
        var current_command: String?
        var clock_skew_ms: Int64?
    }

    func status() throws -> Status {
        let out = try classroomd(["status", "--json", "--config", configPath])
        guard out.status == 0 else { throw TestSupportError("classroomd status failed: \(out.stderr)") }
        return try JSONDecoder().decode(Status.self, from: Data(out.stdout.utf8))
    }

    /// Starts `classroomd run` in the background; output goes to `run.log` in the directory.
    func start(environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = try TestProcess.product("classroomd")
        process.arguments = ["run", "--config", configPath]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = directory.appending(path: "run.log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    var log: String { (try? String(contentsOf: directory.appending(path: "run.log"), encoding: .utf8)) ?? "" }

    /// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
    static func eventually(_ seconds: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// Sends `signal` and waits for the process to exit (at most `seconds`); returns whether it exited.
    static func stop(_ process: Process, signal: Int32 = SIGTERM, seconds: Double = 10) async -> Bool {
        kill(process.processIdentifier, signal)
        return await eventually(seconds) { !process.isRunning }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
