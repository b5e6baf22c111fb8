import ClassroomTestSupport
import Foundation

/// A real `classroomd` enrolled into a room of the sample county on a real collector (`RunningCollector`),
/// with its own config and state directory; the collector's SQLite store read back with `sqlite3`.
struct EnrolledAgent {
    static let county = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/examples/county")

    let directory: URL
    let configPath: String
    let collector: RunningCollector

    /// Imports the sample county into `collector`, creates one enrollment token and enrolls one agent per
    /// room of school S00001 named in `rooms`.
    static func enroll(_ rooms: [String], on collector: RunningCollector, in dir: URL) throws -> [EnrolledAgent] {
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": collector.adminToken]
        let imported = try TestProcess.run(
            ctl, ["registry", "import", county.path, "--collector", collector.base], environment: env)
        guard imported.status == 0 else { throw TestSupportError("registry import: \(imported.stderr)") }
        let created = try TestProcess.run(
            ctl,
            ["enroll-token", "create", "--collector", collector.base, "--school", "S00001", "--uses", "\(rooms.count)"],
            environment: env)
        guard
            let token = created.stdout.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix("cfe_") })
        else { throw TestSupportError("no enrollment token in: \(created.stdout)\(created.stderr)") }
        return try rooms.map { room in
            let agent = try EnrolledAgent(collector: collector, directory: dir.appending(path: room))
            try agent.configure(heartbeatSeconds: 3600)
            let out = try agent.classroomd([
                "enroll", "--collector", collector.base, "--token", String(token), "--room", room, "--config",
                agent.configPath,
            ])
            guard out.status == 0 else { throw TestSupportError("classroomd enroll \(room): \(out.stderr)") }
            return agent
        }
    }

    init(collector: RunningCollector, directory: URL) throws {
        self.collector = collector
        self.directory = directory
        configPath = directory.appending(path: "classroomd.toml").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// (Re)writes the config: the collector's current address and how often to send a heartbeat.
    func configure(heartbeatSeconds: Double, collectorBase: String? = nil) throws {
        let text = """
            collector = "\(collectorBase ?? collector.base)"
            state_directory = "\(directory.appending(path: "state").path)"
            heartbeat_seconds = \(heartbeatSeconds)
            first_connect_jitter_seconds = 0
            backoff_max_seconds = 0.5
            poll_wait_seconds = 2
            status_port = 0

            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func classroomd(_ arguments: [String]) throws -> TestProcess.Output {
        try TestProcess.run(TestProcess.product("classroomd"), arguments, timeout: .seconds(60))
    }

    /// Starts `classroomd run`; its output is appended to `run.log`.
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

    /// What `classroomd status --json` reports.
    struct Status: Decodable {
        var device_id: String?
        var queue_depth: Int
        var last_sequence: Int64?
        var clock_skew_ms: Int64?
    }

    func status() throws -> Status {
        let out = try classroomd(["status", "--json", "--config", configPath])
        guard out.status == 0 else { throw TestSupportError("classroomd status: \(out.stderr)") }
        return try JSONDecoder().decode(Status.self, from: Data(out.stdout.utf8))
    }

    /// Rows of the collector's SQLite store, each a list of its columns, read with the `sqlite3` CLI.
    func query(_ sql: String) throws -> [[String]] {
        guard collector.database.hasPrefix("sqlite:") else { throw TestSupportError("not a SQLite store") }
        let out = try TestProcess.run(
            URL(filePath: "/usr/bin/sqlite3"), ["-readonly", String(collector.database.dropFirst(7)), sql])
        guard out.status == 0 else { throw TestSupportError("sqlite3 \(sql): \(out.stderr)") }
        return out.stdout.split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// Polls `condition` every 100 ms until it holds or `seconds` pass; returns whether it held.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try condition()
    }

    /// Sends `signal` and waits (at most 10 s) until the process has exited.
    static func stop(_ process: Process, signal: Int32) async -> Bool {
        kill(process.processIdentifier, signal)
        return await eventually(10) { !process.isRunning }
    }
}
