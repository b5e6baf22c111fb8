import ClassroomTestSupport
import Foundation

/// A real `classroomd` enrolled into a room of the sample county on a real collector (`RunningCollector`),
/// with its own config and state directory (``ClassroomdProcess``); the collector's SQLite store read back with `sqlite3`.
struct EnrolledAgent {
    static let county = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/examples/county")

    /// The agent's folder, config and daemon.
    let daemon: ClassroomdProcess
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
            let out = try agent.daemon.classroomd([
                "enroll", "--collector", collector.base, "--token", String(token), "--room", room, "--config",
                agent.daemon.configPath,
            ])
            guard out.status == 0 else { throw TestSupportError("classroomd enroll \(room): \(out.stderr)") }
            return agent
        }
    }

    init(collector: RunningCollector, directory: URL) throws {
        self.collector = collector
        daemon = try ClassroomdProcess(directory: directory)
    }

    /// (Re)writes the config: the collector's current address and how often to send a heartbeat.
    func configure(heartbeatSeconds: Double, collectorBase: String? = nil) throws {
        try daemon.writeConfig(collector: collectorBase ?? collector.base, extra: "heartbeat_seconds = \(heartbeatSeconds)\n")
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
}
