import ClassroomTestSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `Tests/Fixtures/fake-collector.py` on loopback: the four agent routes, failure and hostile-answer
/// injection (odd `Retry-After`, a 1 GiB body, a slow drip, raw command lists), state.
final class FakeCollector: @unchecked Sendable {
    static let script = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures/fake-collector.py")

    let process = Process()
    let port: Int
    let tls: (cert: String, key: String)?
    var baseURL: String { tls == nil ? "http://127.0.0.1:\(port)" : "https://localhost:\(port)" }

    /// Starts the peer with enrollment `tokens` (`TOKEN:SCHOOL:USES`), over HTTPS when `tls` is given.
    init(directory: URL, tokens: [String] = ["cfe_test:school-1:100"], tls: (cert: String, key: String)? = nil) throws {
        let portFile = directory.appending(path: "collector.port")
        self.tls = tls
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments =
            ["python3", Self.script.path, "--port-file", portFile.path] + tokens.flatMap { ["--token", $0] }
            + (tls.map { ["--tls-cert", $0.cert, "--tls-key", $0.key] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: portFile.path) {
            guard Date() < deadline, process.isRunning else { throw TestSupportError("fake-collector.py did not start") }
            usleep(20_000)
        }
        port = Int(try String(contentsOf: portFile, encoding: .utf8)) ?? 0
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// What the peer stored for one device.
    struct DeviceState: Decodable {
        var seqs: [Int64]
        var duplicates: Int
        var batches: Int
        var kinds: [String: Int]
        var max_batch: Int
        var user_agent: String
        var acked_commands: [String]
        var last_raw_at: Int64?
        var last_corrected_at: Int64?
        /// The command results received, in order.
        var results: [Result]
        var evidence: Int
        var empty_batches: Int
    }

    /// A command result as the agent reported it.
    struct Result: Decodable, Hashable {
        var command_id: String
        var status: String
        var message: String?
    }

    struct State: Decodable {
        var devices: [String: DeviceState]
        var log: [String]
    }

    func request(_ method: String, _ path: String, json: [String: Any]? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        if let json { request.httpBody = try JSONSerialization.data(withJSONObject: json) }
        let (data, _) = try await URLSession.shared.data(for: request)
        return data
    }

    func state() async throws -> State {
        try JSONDecoder().decode(State.self, from: try await request("GET", "/_test/state"))
    }

    func device(_ id: String = "dev-1") async throws -> DeviceState? { try await state().devices[id] }

    /// Injects `count` answers of `mode` on `route`: failures (`500`, `429`, `503`, `drop`, `slow`) or
    /// hostile answers (`huge`, `drip`, `raw`); see the script's documentation.
    func fail(_ mode: String, route: String = "events", count: Int = 1, extra: [String: Any] = [:]) async throws {
        _ = try await request("POST", "/_test/fail", json: ["mode": mode, "route": route, "count": count].merging(extra) { $1 })
    }

    func queueCommand(device: String, id: String, kind: String) async throws {
        _ = try await request(
            "POST", "/_test/command", json: ["device_id": device, "id": id, "kind": kind, "issued_at": 1_700_000_000_000])
    }

    /// Queues a raw command (any JSON object, valid or not) for `device`.
    func queue(_ command: [String: Any], device: String = "dev-1") async throws {
        _ = try await request("POST", "/_test/command", json: ["device_id": device, "command": command])
    }

    /// Tells the peer it already holds `seqs` of `device` (events of an outbox that was later lost).
    func hold(_ seqs: [Int64], device: String = "dev-1") async throws {
        _ = try await request("POST", "/_test/seqs", json: ["device_id": device, "seqs": seqs])
    }

    /// The last result the peer received for each command id.
    func results(_ device: String = "dev-1") async throws -> [String: Result] {
        Dictionary(try await self.device(device)?.results.map { ($0.command_id, $0) } ?? []) { $1 }
    }
}
