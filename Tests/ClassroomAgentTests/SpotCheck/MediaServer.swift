import ClassroomTestSupport
import Foundation

/// A loopback media server for one test: nginx with the RTMP module recording every stream, and a
/// stand-in for the collector's on_publish hooks (Tests/Fixtures/media/start-media-server.sh).
final class MediaServer {
    static let fixtures = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures")

    let directory: URL
    let rtmpPort: Int
    let key: String

    /// Starts nginx and the hook responder accepting only `key`.
    init(key: String) throws {
        directory = try TestProcess.temporaryDirectory("media")
        rtmpPort = try Self.freePort()
        self.key = key
        let script = Self.fixtures.appending(path: "media/start-media-server.sh")
        // Not TestProcess.run: the daemons it starts must not hold a pipe the test reads to its end.
        let process = Process()
        process.executableURL = URL(filePath: "/bin/bash")
        process.arguments = [script.path, directory.path, "\(rtmpPort)", "\(try Self.freePort())", key]
        let log = directory.appending(path: "start.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        guard Self.exitStatus(of: process) == 0 else {
            throw TestSupportError("start-media-server.sh failed: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
    }

    /// Waits for the script with waitpid(2): Foundation's `waitUntilExit()` never saw this child end
    /// inside the test runner (the child stayed a zombie), so the test hung.
    static func exitStatus(of process: Process) -> Int32 {
        var status: Int32 = 0
        while waitpid(process.processIdentifier, &status, 0) == -1 {
            guard errno == EINTR else {
                // Already reaped by Foundation: its own record is complete.
                process.waitUntilExit()
                return process.terminationStatus
            }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    deinit {
        for name in ["nginx.pid", "responder.pid"] {
            if let text = try? String(contentsOf: directory.appending(path: name), encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                // The test process blocks SIGTERM, and its children inherit that mask. nginx runs in its own
                // session: its process group (master and workers) goes at once.
                if name == "nginx.pid" { kill(-pid, SIGKILL) }
                kill(pid, SIGKILL)
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    func url(key: String) -> String { "rtmp://127.0.0.1:\(rtmpPort)/live/\(key)" }

    /// The hook calls nginx made: (path without query, stream name, answered status).
    func hooks() throws -> [(path: String, name: String, status: Int)] {
        let text = try String(contentsOf: directory.appending(path: "hooks.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            // The path without its query (the shipped configuration adds `?secret=…`).
            let path = (object["path"] as? String ?? "").split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            return (path, object["name"] as? String ?? "", object["status"] as? Int ?? 0)
        }
    }

    /// The FLV nginx recorded for `key`.
    func recording(key: String) -> URL { directory.appending(path: "record/\(key).flv") }

    /// A TCP port nothing listens on now (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestSupportError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The speech fixtures as ALSA `type file` PCMs (scripts/test.d/30-audio-fixtures.sh makes them).
enum AgentAudioFixtures {
    static let directory: Result<URL, any Error> = Result {
        let env = ProcessInfo.processInfo.environment["CLASSROOMFLEET_AUDIO_FIXTURES"] ?? ""
        let dir = URL(filePath: env.isEmpty ? "/tmp/classroomfleet-audio-fixtures" : env, directoryHint: .isDirectory)
        let script = MediaServer.fixtures.appending(path: "audio/make-audio-fixtures.sh")
        let output = try TestProcess.run(URL(filePath: "/bin/bash"), [script.path, dir.path])
        guard output.status == 0 else { throw TestSupportError("make-audio-fixtures.sh failed: \(output.stderr)") }
        return dir
    }

    static func environment() throws -> [String: String] {
        ["ALSA_CONFIG_PATH": try directory.get().appending(path: "asound.conf").path]
    }
}
