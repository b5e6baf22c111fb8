import Foundation

extension MediaServerProcess {
    /// Starts nginx-rtmp recording every stream, its hooks answered not by a collector but by
    /// `Tests/Fixtures/media/on_publish_responder.py`, which accepts only the stream key `key` and logs
    /// every call (read them with ``hooks()``). For agent tests that need no collector.
    public convenience init(hookResponderAcceptingKey key: String) throws {
        let directory = try TestProcess.temporaryDirectory("media")
        let hookPort: Int
        let rtmpPort: Int
        do {
            // Both ports chosen first: past this point only nginx's start can fail, and that stops the responder.
            hookPort = try Self.freePort()
            rtmpPort = try Self.freePort()
            try Self.startHookResponder(in: directory, port: hookPort, key: key)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        try self.init(
            in: directory, collector: "http://127.0.0.1:\(hookPort)", secret: "responder-secret", record: true,
            rtmpPort: rtmpPort)
    }

    /// The hook calls nginx made to the responder: (path without query, stream name, answered status).
    public func hooks() throws -> [(path: String, name: String, status: Int)] {
        let text = try String(contentsOf: directory.appending(path: "hooks.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            // The path without its query (the shipped configuration adds `?secret=…`).
            let path = (object["path"] as? String ?? "").split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            return (path, object["name"] as? String ?? "", object["status"] as? Int ?? 0)
        }
    }

    /// Starts the responder on `port` (its pid in `responder.pid`, calls in `hooks.jsonl`, its errors in
    /// `responder.log`) and waits until it listens.
    static func startHookResponder(in directory: URL, port: Int, key: String) throws {
        let hooks = directory.appending(path: "hooks.jsonl")
        let log = directory.appending(path: "responder.log")
        _ = FileManager.default.createFile(atPath: hooks.path, contents: nil)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        // env execs python3 from PATH, as the shell would: the pid stays the responder's.
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = [
            "python3", repository.appending(path: "Tests/Fixtures/media/on_publish_responder.py").path, "\(port)", key,
            hooks.path,
        ]
        // Not a pipe: a daemon holding a pipe the test reads to its end would hang the test.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try "\(process.processIdentifier)\n".write(
            to: directory.appending(path: "responder.pid"), atomically: true, encoding: .utf8)
        for _ in 0..<100 {
            if listens(port) { return }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        stopHookResponder(in: directory)
        throw TestSupportError(
            "on_publish_responder.py did not listen on 127.0.0.1:\(port): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")"
        )
    }

    /// Kills the responder (if one was started) and reaps it. Safe to call twice.
    func stopHookResponder() { Self.stopHookResponder(in: directory) }

    static func stopHookResponder(in directory: URL) {
        let pidFile = directory.appending(path: "responder.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return }
        // SIGKILL: the test process blocks SIGTERM and its children inherit that mask.
        kill(pid, SIGKILL)
        // Reaped here unless Foundation's own child monitor was first (then ECHILD).
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        try? FileManager.default.removeItem(at: pidFile)
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func listens(_ port: Int) -> Bool {
        guard let fd = try? Loopback.connect(port: port) else { return false }
        close(fd)
        return true
    }
}
