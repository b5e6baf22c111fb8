import ClassroomTestSupport
import Foundation

/// `classroomd run` on a simulated machine: a umockdev device tree played by
/// `Tests/Fixtures/umockdev/hotplug-driver.c` (built by scripts/test.d/40-hotplug-driver.sh), an ALSA
/// `file` PCM microphone (scripts/test.d/30-audio-fixtures.sh) and 2-second usage "minutes".
struct SimulatedClassroom {
    static let fixtures = SimulatedMachine.fixtures

    static func umockdevFile(_ name: String) -> URL { fixtures.appending(path: "umockdev/\(name).umockdev") }

    /// The hotplug driver, built once per run (or taken from `CLASSROOMFLEET_HOTPLUG_DRIVER`).
    static let driver: Result<URL, any Error> = Result {
        let env = ProcessInfo.processInfo.environment["CLASSROOMFLEET_HOTPLUG_DRIVER"] ?? ""
        let path = env.isEmpty ? "/tmp/classroomfleet-hotplug-driver" : env
        let output = try TestProcess.run(
            URL(filePath: "/bin/bash"), [fixtures.appending(path: "umockdev/build-hotplug-driver.sh").path, path])
        guard output.status == 0 else { throw TestSupportError("building the hotplug driver failed: \(output.stderr)") }
        return URL(filePath: path)
    }

    /// The audio fixtures' ALSA configuration (or made here when run alone).
    static var alsaConfig: Result<String, any Error> { SimulatedMachine.alsaConfig }

    let agent: AgentUnderTest
    let process: Process

    /// Enrolls an agent with `microphone = PCM` and starts it on `tree` while the driver plays `steps`
    /// (or, with `touches`, under `umockdev-run` replaying that evemu file on the panel's /dev/input/event9).
    init(
        collector: FakeCollector, tree: String, microphone: String, steps: [String] = [], touches: String? = nil,
        label: String
    ) throws {
        agent = try AgentUnderTest(collector: collector.baseURL, extra: "microphone = \"\(microphone)\"\n", label: label)
        let enrolled = try agent.enroll(collector)
        guard enrolled.status == 0 else { throw TestSupportError("enroll failed: \(enrolled.stderr)") }
        let script = agent.directory.appending(path: "hotplug.txt")
        try steps.joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
        process = Process()
        let run = [try TestProcess.product("classroomd").path, "run", "--config", agent.configPath]
        if let touches {
            process.executableURL = URL(filePath: "/usr/bin/umockdev-run")
            let events = Self.fixtures.appending(path: "evemu/\(touches).events").path
            process.arguments = ["-d", Self.umockdevFile(tree).path, "-e", "/dev/input/event9=\(events)", "--"] + run
        } else {
            process.executableURL = URL(filePath: "/usr/bin/umockdev-wrapper")
            process.arguments = [try Self.driver.get().path, Self.umockdevFile(tree).path, script.path, "--"] + run
        }
        process.environment = ProcessInfo.processInfo.environment.merging([
            "ALSA_CONFIG_PATH": try Self.alsaConfig.get(), "CLASSROOMD_USAGE_PERIOD_SECONDS": "2",
        ]) { $1 }
        let log = agent.directory.appending(path: "run.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// SIGTERM to `classroomd` (the child of the driver or of umockdev-run), then waits for it to end.
    func stop() async -> Bool {
        for pid in Self.children(of: process.processIdentifier) { kill(pid, SIGTERM) }
        let stopped = await AgentUnderTest.eventually(15) { !process.isRunning }
        if !stopped { process.terminate() }
        return stopped
    }

    static func children(of pid: Int32) -> [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// The hardware events the fake collector stored (`GET /_test/events`).
struct StoredEvents: Decodable {
    struct Event: Decodable {
        var seq: Int64
        var kind: String
        var usage_minute: Minute?
        var inventory: Inventory?
    }

    struct Minute: Decodable {
        var display_on: Bool
        var touch_events: Int
        var speech_seconds: Double
        var mean_dbfs: Double?
    }

    /// A snapshot's inventory, or a change's `{action, device_kind, device_id, inventory}`.
    struct Inventory: Decodable {
        var cameras: [Named]?
        var microphones: [Named]?
        var displays: [Display]?
        var action: String?
        var device_kind: String?
        var device_id: String?
        var inventory: Nested?
    }

    struct Nested: Decodable { var cameras: [Named] }
    struct Named: Decodable { var name: String }
    struct Display: Decodable { var connector: String }

    var devices: [String: [Event]]

    static func fetch(_ collector: FakeCollector) async throws -> [Event] {
        try JSONDecoder().decode(StoredEvents.self, from: try await collector.request("GET", "/_test/events")).devices["dev-1"]
            ?? []
    }
}
