import ClassroomTestSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `Tests/Fixtures/hostile-collector.py` on loopback: the agent routes with scripted hostile answers
/// (odd `Retry-After`, a 1 GiB body, a slow drip, raw command lists) and the command results it received.
final class HostileCollector: @unchecked Sendable {
    static let script = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Fixtures/hostile-collector.py")

    let process = Process()
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(directory: URL, tokens: [String] = ["cfe_test:school-1:100"]) throws {
        let portFile = directory.appending(path: "hostile.port")
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--port-file", portFile.path] + tokens.flatMap { ["--token", $0] }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: portFile.path) {
            guard Date() < deadline, process.isRunning else { throw TestSupportError("hostile-collector.py did not start") }
            usleep(20_000)
        }
        port = Int(try String(contentsOf: portFile, encoding: .utf8)) ?? 0
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    struct Result: Decodable, Hashable {
        var command_id: String
        var status: String
        var message: String?
    }

    struct DeviceState: Decodable {
        var seqs: [Int64]
        var duplicates: Int
        var results: [Result]
        var evidence: Int
        var acked: [String]
        var empty_batches: Int
    }

    struct State: Decodable {
        var devices: [String: DeviceState]
        var log: [String]
    }

    func post(_ path: String, _ json: [String: Any]) async throws {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        _ = try await URLSession.shared.data(for: request)
    }

    func state() async throws -> State {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_test/state")!)
        return try JSONDecoder().decode(State.self, from: data)
    }

    func device(_ id: String = "dev-1") async throws -> DeviceState? { try await state().devices[id] }

    /// Queues `count` scripted answers of `mode` on `route` (see the script's documentation).
    func script(_ mode: String, route: String, count: Int = 1, extra: [String: Any] = [:]) async throws {
        try await post("/_test/script", ["mode": mode, "route": route, "count": count].merging(extra) { $1 })
    }

    /// Queues a raw command (any JSON object) for `device`.
    func queue(_ command: [String: Any], device: String = "dev-1") async throws {
        try await post("/_test/command", ["device_id": device, "command": command])
    }

    /// Tells the peer it already holds `seqs` of `device` (events of an outbox that was later lost).
    func hold(_ seqs: [Int64], device: String = "dev-1") async throws {
        try await post("/_test/seqs", ["device_id": device, "seqs": seqs])
    }

    /// The last result the peer received for each command id.
    func results(_ device: String = "dev-1") async throws -> [String: Result] {
        Dictionary(try await self.device(device)?.results.map { ($0.command_id, $0) } ?? []) { $1 }
    }
}
