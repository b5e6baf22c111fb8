import ClassroomAgent
import ClassroomTestSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real `classroomd run` on a simulated machine (umockdev device tree, ALSA `file` PCM microphone)
/// enrolled into a room of a ``SpotCheckFleet``'s collector.
final class FleetAgent: @unchecked Sendable {
    let directory: URL
    let configPath: String
    let statusPort: Int
    let tree: String
    let room: String
    private var process: Process?

    /// Writes the config (`extra` lines appended) and enrolls into `room` with `token`.
    init(fleet: SpotCheckFleet, room: String, token: String, tree: String, extra: String, label: String) throws {
        directory = try TestProcess.temporaryDirectory(label)
        configPath = directory.appending(path: "classroomd.toml").path
        statusPort = try MediaServerProcess.freePort()
        self.tree = tree
        self.room = room
        let text = """
            state_directory = "\(directory.appending(path: "state").path)"
            first_connect_jitter_seconds = 0
            backoff_max_seconds = 0.5
            poll_wait_seconds = 2
            heartbeat_seconds = 1
            chime_device = "none"
            status_port = \(statusPort)
            log_level = "debug"

            """
        try (text + extra).write(toFile: configPath, atomically: true, encoding: .utf8)
        let enrolled = try TestProcess.run(
            TestProcess.product("classroomd"),
            ["enroll", "--collector", fleet.base, "--token", token, "--room", room, "--config", configPath])
        guard enrolled.status == 0 else { throw TestSupportError("enroll into \(room): \(enrolled.stdout)\(enrolled.stderr)") }
    }

    /// Starts `classroomd run` under the hotplug driver on the device tree.
    func start() throws {
        let script = directory.appending(path: "hotplug.txt")
        try "".write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/umockdev-wrapper")
        process.arguments =
            [try SimulatedClassroom.driver.get().path, SimulatedClassroom.umockdevFile(tree).path, script.path, "--"]
            + [try TestProcess.product("classroomd").path, "run", "--config", configPath]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "ALSA_CONFIG_PATH": try SimulatedClassroom.alsaConfig.get(), "CLASSROOMD_USAGE_PERIOD_SECONDS": "2",
        ]) { $1 }
        let log = directory.appending(path: "run.log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    var log: String { (try? String(contentsOf: directory.appending(path: "run.log"), encoding: .utf8)) ?? "" }

    /// `classroomd status --json` as an object.
    func status() throws -> [String: Any] {
        let out = try TestProcess.run(TestProcess.product("classroomd"), ["status", "--json", "--config", configPath])
        guard out.status == 0 else { throw TestSupportError("classroomd status: \(out.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Whether everything queued so far (the inventory first of all) has reached the collector.
    func delivered() -> Bool {
        guard let status = try? status() else { return false }
        return status["last_upload_at"] != nil && status["queue_depth"] as? Int == 0
    }

    /// The pid of `classroomd` (the child of the hotplug driver).
    var daemonPID: Int32? { process.flatMap { SimulatedClassroom.children(of: $0.processIdentifier).first } }

    /// SIGTERM to classroomd; waits for the driver to end.
    func stop() async -> Bool {
        guard let process else { return true }
        if let pid = daemonPID { kill(pid, SIGTERM) }
        let stopped = await AgentUnderTest.eventually(20) { !process.isRunning }
        if !stopped { process.terminate() }
        return stopped
    }

    /// The machine loses power: SIGKILL to classroomd and its children (ffmpeg), no evidence written.
    func powerOff() async {
        guard let process, let pid = daemonPID else { return }
        let children = SimulatedClassroom.children(of: pid)
        kill(pid, SIGKILL)
        for child in children { kill(child, SIGKILL) }
        _ = await AgentUnderTest.eventually(20) { !process.isRunning }
    }

    /// `GET path` of the agent's local status page.
    func statusPage(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(statusPort)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The ingest URLs of the spot-check orders this agent persisted (its outbox's `commands` table).
    func receivedIngestURLs() throws -> [String] {
        let db = try SQLiteConnection(path: directory.appending(path: "state/outbox.db").path, readOnly: true)
        let rows = try db.prepare("SELECT body FROM commands ORDER BY received_at")
        var urls: [String] = []
        while try rows.step() {
            let object = try? JSONSerialization.jsonObject(with: Data(rows.text(0).utf8)) as? [String: Any]
            if let url = (object?["spotcheck"] as? [String: Any])?["ingest_url"] as? String { urls.append(url) }
        }
        return urls
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
