import ClassroomTestSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real `classroom-collector serve` on a free loopback port with a bootstrap admin token.
struct RunningCollector: Sendable {
    let process: Process
    let base: String
    let adminToken: String
    let database: String

    static func start(in dir: URL, database: String? = nil, port: Int = 0, serveArguments: [String] = []) async throws
        -> RunningCollector
    {
        let binary = try TestProcess.product("classroom-collector")
        let db = database ?? "sqlite:" + dir.appending(path: "collector.sqlite").path
        let created = try TestProcess.run(binary, ["token", "create", "--role", "bureau_admin", "--name", "test", "--db", db])
        guard created.status == 0 else { throw TestSupportError("token create: \(created.stderr)") }
        return try serve(
            database: db, port: port, adminToken: created.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
            serveArguments: serveArguments)
    }

    /// `classroom-collector serve` again on the same database and port (after the process ended).
    func restarted(serveArguments: [String] = []) throws -> RunningCollector {
        guard let port = base.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw TestSupportError("no port in \(base)")
        }
        return try Self.serve(database: database, port: port, adminToken: adminToken, serveArguments: serveArguments)
    }

    private static func serve(database: String, port: Int, adminToken: String, serveArguments: [String]) throws
        -> RunningCollector
    {
        let process = Process()
        process.executableURL = try TestProcess.product("classroom-collector")
        process.arguments =
            ["serve", "--listen", "127.0.0.1:\(port)", "--db", database, "--log-level", "error"] + serveArguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let line = try readLine(out.fileHandleForReading, containing: "listening on")
        guard let port = line.split(separator: ":").last else { throw TestSupportError("no port in '\(line)'") }
        return RunningCollector(process: process, base: "http://127.0.0.1:\(port)", adminToken: adminToken, database: database)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    @discardableResult
    func call(_ method: String, _ path: String, token: String? = nil, json: Any? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 120
        request.setValue("Bearer \(token ?? adminToken)", forHTTPHeaderField: "Authorization")
        if let json { request.httpBody = try JSONSerialization.data(withJSONObject: json) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }
}
