import Foundation

/// A test `classroomd`: a folder holding its `classroomd.toml` and state directory, and the real
/// executable run on that config (one-shot commands with a time limit, or `run` in the background with
/// its output in `run.log`).
public struct ClassroomdProcess: Sendable {
    /// The folder: `classroomd.toml`, `state/`, `run.log`.
    public let directory: URL

    /// Uses `directory` (created if missing); write a config with ``writeConfig(collector:extra:)``.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A fresh temporary folder named after `label`.
    public init(label: String) throws {
        try self.init(directory: TestProcess.temporaryDirectory(label))
    }

    /// `classroomd.toml` in the folder.
    public var configPath: String { directory.appending(path: "classroomd.toml").path }

    /// `state/` in the folder.
    public var stateDirectory: String { directory.appending(path: "state").path }

    /// The config text for a test daemon: `stateDirectory`, `collector` when given, no first-connect
    /// jitter, short back-off and long-poll, and `status_port = 0` (no status page: parallel test daemons
    /// must not share the default port) unless `extra` sets `status_port`; then `extra` (top-level keys
    /// first, tables after).
    public static func configuration(stateDirectory: String, collector: String?, extra: String = "") -> String {
        var text = "state_directory = \"\(stateDirectory)\"\n"
        if let collector { text += "collector = \"\(collector)\"\n" }
        text += "first_connect_jitter_seconds = 0\nbackoff_max_seconds = 0.5\npoll_wait_seconds = 2\n"
        if !extra.contains("status_port") { text += "status_port = 0\n" }
        return text + extra
    }

    /// (Re)writes ``configPath`` with ``configuration(stateDirectory:collector:extra:)``.
    public func writeConfig(collector: String?, extra: String = "") throws {
        try Self.configuration(stateDirectory: stateDirectory, collector: collector, extra: extra)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Runs `classroomd arguments` to completion (at most `timeout`).
    public func classroomd(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)
    ) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomd"), arguments, environment: environment, timeout: timeout)
    }

    /// Starts `classroomd run --config …` in the background, its output appended to `run.log`; with a
    /// `launcher` (such as a device-tree driver and its arguments) the daemon is started through it.
    public func start(environment: [String: String] = [:], launcher: [String] = []) throws -> Process {
        let daemon = [try TestProcess.product("classroomd").path, "run", "--config", configPath]
        let command = launcher + daemon
        let process = Process()
        process.executableURL = URL(filePath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = directory.appending(path: "run.log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// What the background daemons wrote to `run.log` so far.
    public var log: String { (try? String(contentsOf: directory.appending(path: "run.log"), encoding: .utf8)) ?? "" }

    /// The output of `classroomd status --json`.
    public func statusJSON() throws -> Data {
        let out = try classroomd(["status", "--json", "--config", configPath])
        guard out.status == 0 else { throw TestSupportError("classroomd status failed: \(out.stderr)") }
        return Data(out.stdout.utf8)
    }

    /// `classroomd status --json`, decoded.
    public func status() throws -> ClassroomdStatus {
        try JSONDecoder().decode(ClassroomdStatus.self, from: statusJSON())
    }

    /// `classroomd status --json` as a JSON object (for nested parts such as `spotcheck`).
    public func statusObject() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: statusJSON()) as? [String: Any] ?? [:]
    }

    /// Removes the folder.
    public func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
    public static func eventually(_ seconds: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// Sends `signal` and waits for the process to exit (at most `seconds`); returns whether it exited.
    public static func stop(_ process: Process, signal: Int32 = SIGTERM, seconds: Double = 10) async -> Bool {
        kill(process.processIdentifier, signal)
        return await eventually(seconds) { !process.isRunning }
    }
}
