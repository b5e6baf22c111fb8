import ClassroomAgent
import ClassroomTestSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real `classroomd run` on a simulated machine (umockdev device tree, ALSA `file` PCM microphone)
/// enrolled into a room of a ``SpotCheckFleet``'s collector.
final class FleetAgent: @unchecked Sendable {
    /// The agent's folder, config and daemon.
    let daemon: ClassroomdProcess
    let statusPort: Int
    let tree: String
    let room: String
    private var process: Process?

    /// Writes the config (`extra` lines appended) and enrolls into `room` with `token`.
    init(
        fleet: SpotCheckFleet, room: String, token: String, tree: String, extra: String, label: String, chime: String = "none"
    ) throws {
        daemon = try ClassroomdProcess(label: label)
        statusPort = try MediaServerProcess.freePort()
        self.tree = tree
        self.room = room
        let settings = """
            heartbeat_seconds = 1
            chime_device = "\(chime)"
            status_port = \(statusPort)
            log_level = "debug"

            """
        try daemon.writeConfig(collector: nil, extra: settings + extra)
        let enrolled = try daemon.classroomd(
            ["enroll", "--collector", fleet.base, "--token", token, "--room", room, "--config", daemon.configPath])
        guard enrolled.status == 0 else { throw TestSupportError("enroll into \(room): \(enrolled.stdout)\(enrolled.stderr)") }
    }

    /// Starts `classroomd run` under the hotplug driver on the device tree.
    func start(alsaConfig: String? = nil) throws {
        let script = daemon.directory.appending(path: "hotplug.txt")
        try "".write(to: script, atomically: true, encoding: .utf8)
        process = try daemon.start(
            environment: [
                "ALSA_CONFIG_PATH": try alsaConfig ?? SimulatedClassroom.alsaConfig.get(), "CLASSROOMD_USAGE_PERIOD_SECONDS": "2",
            ],
            launcher: [
                "/usr/bin/umockdev-wrapper", try SimulatedClassroom.driver.get().path,
                SimulatedClassroom.umockdevFile(tree).path, script.path, "--",
            ])
    }

    var log: String { daemon.log }

    /// `classroomd status --json` as an object.
    func status() throws -> [String: Any] { try daemon.statusObject() }

    /// Whether everything queued so far (the inventory first of all) has reached the collector.
    func delivered() -> Bool {
        guard let status = try? daemon.status() else { return false }
        return status.last_upload_at != nil && status.queue_depth == 0
    }

    /// The pid of `classroomd` (the child of the hotplug driver).
    var daemonPID: Int32? { process.flatMap { SimulatedClassroom.children(of: $0.processIdentifier).first } }

    /// SIGTERM to classroomd; waits for the driver to end.
    func stop() async -> Bool {
        guard let process else { return true }
        if let pid = daemonPID { kill(pid, SIGTERM) }
        let stopped = await ClassroomdProcess.eventually(20) { !process.isRunning }
        if !stopped { process.terminate() }
        return stopped
    }

    /// The machine loses power: SIGKILL to classroomd and its children (ffmpeg), no evidence written.
    func powerOff() async {
        guard let process, let pid = daemonPID else { return }
        let children = SimulatedClassroom.children(of: pid)
        kill(pid, SIGKILL)
        for child in children { kill(child, SIGKILL) }
        _ = await ClassroomdProcess.eventually(20) { !process.isRunning }
    }

    /// `GET path` of the agent's local status page.
    func statusPage(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(statusPort)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The ingest URLs of the spot-check orders this agent persisted (its outbox's `commands` table).
    func receivedIngestURLs() throws -> [String] {
        let db = try SQLiteConnection(path: daemon.stateDirectory + "/outbox.db", readOnly: true)
        let rows = try db.prepare("SELECT body FROM commands ORDER BY received_at")
        var urls: [String] = []
        while try rows.step() {
            let object = try? JSONSerialization.jsonObject(with: Data(rows.text(0).utf8)) as? [String: Any]
            if let url = (object?["spotcheck"] as? [String: Any])?["ingest_url"] as? String { urls.append(url) }
        }
        return urls
    }

    func remove() { daemon.remove() }
}
