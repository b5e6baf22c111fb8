import Foundation

/// nginx with the RTMP module on a loopback port, configured from the shipped
/// `Deploy/media/nginx-rtmp.conf` (rendered by `Deploy/media/render-nginx-rtmp.sh` through
/// `Tests/Fixtures/media/media-server.sh`), its hooks pointing at a real collector.
///
/// - Important: stop it with ``stop()`` (or let it go out of scope): nginx runs in its own session and
///   its whole process group is killed. The folder (recordings, error log) is removed on `deinit`.
public final class MediaServerProcess: Sendable {
    /// The repository's root folder.
    public static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `Tests/Fixtures/media/media-server.sh`.
    public static let script = repository.appending(path: "Tests/Fixtures/media/media-server.sh")

    /// The server's folder: `rtmp.conf` (the rendered shipped file), `nginx.conf`, `error.log`, `record/`.
    public let directory: URL
    /// The RTMP port on 127.0.0.1.
    public let rtmpPort: Int
    /// The collector base URL the hooks call, such as `http://127.0.0.1:8470`.
    public let collector: String
    /// The HTTP port of the shipped site (`Deploy/media/nginx-site.conf`: the console proxied, HLS
    /// behind the collector's authorization), when started with `http: true`.
    public let httpPort: Int?

    /// Starts nginx-rtmp calling `collector`'s media hooks with `secret`; with `record`, every accepted
    /// stream is kept as ``recording(key:)``. `rtmpPort` nil picks a free port (choose one first with
    /// ``freePort()`` when the collector must know the ingest URL before nginx starts).
    /// With `http`, the shipped HTTP site listens too (``site``).
    public convenience init(
        collector: String, secret: String, record: Bool = false, rtmpPort: Int? = nil, http: Bool = false
    ) throws {
        try self.init(
            in: TestProcess.temporaryDirectory("media"), collector: collector, secret: secret, record: record,
            rtmpPort: rtmpPort, http: http)
    }

    /// Starts nginx-rtmp in `directory` (which the server then owns and removes), so a collector
    /// started first can be told where the recordings will be (`directory/record`).
    public init(in directory: URL, collector: String, secret: String, record: Bool, rtmpPort: Int?, http: Bool = false) throws {
        self.directory = directory
        self.rtmpPort = try rtmpPort ?? Self.freePort()
        self.collector = collector
        self.httpPort = http ? try Self.freePort() : nil
        let options = (record ? ["record"] : []) + (httpPort.map { ["http=\($0)"] } ?? [])
        let output = try Self.script(
            ["start", directory.path, "\(self.rtmpPort)", collector, secret] + options, in: directory)
        guard output.status == 0 else {
            stop()
            try? FileManager.default.removeItem(at: directory)
            throw TestSupportError("media-server.sh start failed (\(output.status)): \(output.log)")
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Kills nginx (master and workers) and the hook responder if there is one. Safe to call twice.
    public func stop() {
        stopHookResponder()
        let pidFile = directory.appending(path: "nginx.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return }
        // SIGKILL: the test process blocks SIGTERM and its children inherit that mask. nginx runs in its
        // own session, so its process group (master and workers) goes at once.
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        try? FileManager.default.removeItem(at: pidFile)
    }

    /// The ingest URL to give the collector (`--spotcheck-ingest`).
    public var ingest: String { "rtmp://127.0.0.1:\(rtmpPort)/live" }

    /// Where a publisher pushes `key`.
    public func url(key: String) -> String { "\(ingest)/\(key)" }

    /// The FLV nginx recorded for the stream named `key` (only when started with `record`): `record/KEY-TIME.flv`
    /// (`record_unique on`), the newest when there are several; `record/KEY.flv`, which does not
    /// exist, when there is none. A stream the
    /// collector allowed is renamed to its public name: pass `lesson-ORDER` (``recording(order:)``).
    public func recording(key: String) -> URL {
        let folder = directory.appending(path: "record")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let mine = names.filter { $0.hasPrefix(key + "-") && $0.hasSuffix(".flv") }.sorted()
        return folder.appending(path: mine.last ?? "\(key).flv")
    }

    /// The FLV nginx recorded for the order's stream, which the collector renamed `lesson-ORDER`.
    public func recording(order: String) -> URL { recording(key: "lesson-\(order)") }

    /// The HLS folder of a stream (`lesson-ORDER`): `index.m3u8` and its fragments.
    public func hls(stream: String) -> URL { directory.appending(path: "hls/\(stream)") }

    /// The base URL of the HTTP site, such as `http://127.0.0.1:8480` (only when started with `http`).
    public var site: String? { httpPort.map { "http://127.0.0.1:\($0)" } }

    /// The rendered shipped configuration nginx runs.
    public var renderedConfiguration: URL { directory.appending(path: "rtmp.conf") }

    /// nginx's error log (level info: hook calls, refusals, disconnects).
    public func errorLog() -> String {
        (try? String(contentsOf: directory.appending(path: "error.log"), encoding: .utf8)) ?? ""
    }

    /// Renders the shipped configuration for `rtmpPort`, `collector` and `secret` into `directory`
    /// and runs `nginx -t` on it (with the stat page of `Deploy/media/rtmp-stat.conf`, and the HTTP site
    /// of `Deploy/media/nginx-site.conf` on `httpPort`), without starting.
    public static func checkConfiguration(
        in directory: URL, rtmpPort: Int, collector: String, secret: String, record: Bool = false, httpPort: Int? = nil
    ) throws -> (status: Int32, log: String) {
        let options = (record ? ["record"] : []) + (httpPort.map { ["http=\($0)"] } ?? [])
        let output = try script(["check", directory.path, "\(rtmpPort)", collector, secret] + options, in: directory)
        return (output.status, output.log)
    }

    /// Runs media-server.sh with its output in a file: the nginx it starts must not hold a pipe the
    /// test reads to its end, and Foundation's `waitUntilExit()` never saw such a script end inside
    /// the test runner, so it is waited for with waitpid(2).
    static func script(_ arguments: [String], in directory: URL) throws -> (status: Int32, log: String) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appending(path: "media-server-\(arguments[0]).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(filePath: "/bin/bash")
        process.arguments = [script.path] + arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let status = exitStatus(of: process)
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// The exit status of `process`, waited for with waitpid(2) (128 + N when killed by signal N).
    public static func exitStatus(of process: Process) -> Int32 {
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

    /// A TCP port nothing listens on now on 127.0.0.1 (bound to port 0, then released).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
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
