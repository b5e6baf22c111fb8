import ClassroomTestSupport
import Foundation

/// nginx on a free loopback port in front of several collectors: the shipped
/// `Deploy/media/nginx-collectors.conf` with its `upstream` servers replaced by the collectors' addresses,
/// inside a minimal main context (temporary folders, pid and error log in the test's folder).
struct CollectorsBehindNginx {
    static let template = EnrolledAgent.county.deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "media/nginx-collectors.conf")

    let base: String
    let directory: URL

    static func start(collectors: [RunningCollector], in dir: URL) throws -> CollectorsBehindNginx {
        let folder = dir.appending(path: "nginx")
        let temp = folder.appending(path: "tmp")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let port = try CollectorKillNineTests.freePort()
        var site = try String(contentsOf: template, encoding: .utf8)
        let servers = site.split(separator: "\n").filter { $0.hasPrefix("    server 127.0.0.1:") }
        guard servers.count == 3, site.contains("    listen 80;") else {
            throw TestSupportError("\(template.path): expected three upstream servers and 'listen 80;'")
        }
        site = site.replacingOccurrences(
            of: servers.joined(separator: "\n"),
            with: collectors.map {
                "    server \($0.base.dropFirst(7)) max_fails=1 fail_timeout=10s;"
            }.joined(separator: "\n"))
        site = site.replacingOccurrences(of: "    listen 80;", with: "    listen 127.0.0.1:\(port);")
        try site.write(to: folder.appending(path: "site.conf"), atomically: true, encoding: .utf8)
        let p = folder.path
        let main = """
            daemon on;
            pid \(p)/nginx.pid;
            error_log \(p)/error.log info;
            worker_processes 1;
            events { worker_connections 256; }
            http { access_log off; client_body_temp_path \(p)/tmp/body; proxy_temp_path \(p)/tmp/proxy;
              fastcgi_temp_path \(p)/tmp/fastcgi; uwsgi_temp_path \(p)/tmp/uwsgi; scgi_temp_path \(p)/tmp/scgi;
              include \(p)/site.conf; }
            """
        try main.write(to: folder.appending(path: "nginx.conf"), atomically: true, encoding: .utf8)
        // Output to a file, waited for with waitpid(2): the daemonized nginx must hold no pipe of ours
        // (as `MediaServerProcess.script` does it).
        let log = folder.appending(path: "start.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(filePath: "/usr/sbin/nginx")
        process.arguments = ["-c", "\(p)/nginx.conf", "-p", "\(p)/tmp", "-e", "\(p)/error.log"]
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        guard MediaServerProcess.exitStatus(of: process) == 0 else {
            throw TestSupportError("nginx: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        return CollectorsBehindNginx(base: "http://127.0.0.1:\(port)", directory: folder)
    }

    func stop() {
        guard let text = try? String(contentsOf: directory.appending(path: "nginx.pid"), encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, SIGQUIT)
    }
}
