import ClassroomTestSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Several real `classroom-collector serve` processes on one PostgreSQL test database (issue 18 item 4),
/// each on its own free loopback port, with the sample county imported and devices enrolled over HTTP
/// as `classroomd enroll` does it.
struct CollectorFleet {
    let database: CollectorDatabase
    var collectors: [RunningCollector]

    /// Starts `count` collectors one after the other on `database` (the first one migrates it).
    static func start(_ count: Int, on database: CollectorDatabase, in dir: URL, serveArguments: [String] = [])
        async throws -> CollectorFleet
    {
        var collectors: [RunningCollector] = []
        do {
            for index in 0..<count {
                let folder = dir.appending(path: "collector-\(index)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                collectors.append(
                    try await RunningCollector.start(in: folder, database: database.url, serveArguments: serveArguments))
            }
        } catch {
            for collector in collectors { collector.stop() }
            throw error
        }
        return CollectorFleet(database: database, collectors: collectors)
    }

    func stop() {
        for collector in collectors { collector.stop() }
    }

    /// Imports the sample county (`Deploy/examples/county`) through `collector` with `classroomctl`.
    static func importCounty(through collector: RunningCollector) throws {
        let imported = try TestProcess.run(
            try TestProcess.product("classroomctl"),
            ["registry", "import", EnrolledAgent.county.path, "--collector", collector.base],
            environment: ["CLASSROOM_TOKEN": collector.adminToken])
        guard imported.status == 0 else { throw TestSupportError("registry import: \(imported.stderr)") }
    }

    /// Enrolls one device into `room` of school S00001: the enrollment token is made through `issuer`'s
    /// operator API, the device enrolls at `collector` (`POST /api/v1/agent/enroll`); returns its id and
    /// credential.
    static func enroll(room: String, issuer: RunningCollector, at collector: RunningCollector) async throws
        -> (deviceID: String, credential: String)
    {
        let (created, token) = try await issuer.call(
            "POST", "/api/v1/enrollment-tokens", json: ["school_id": "S00001", "max_uses": 1, "expires_in_seconds": 600])
        guard created == 201, let secret = token["token"] as? String else {
            throw TestSupportError("enrollment token: \(created) \(token)")
        }
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let (status, answer) = try await collector.call(
            "POST", "/api/v1/agent/enroll", token: "none",
            json: ["token": secret, "room_id": room, "public_key": key, "hostname": "pc-\(room)", "agent_version": "0.1.0"])
        guard status == 201, let device = answer["device_id"] as? String, let credential = answer["credential"] as? String
        else { throw TestSupportError("enroll \(room) at \(collector.base): \(status) \(answer)") }
        return (device, credential)
    }

    /// A gauge or counter of `collector`'s `/metrics` (nil when it does not answer or lacks it).
    static func metric(_ name: String, of collector: RunningCollector) async -> Double? {
        var request = URLRequest(url: URL(string: collector.base + "/metrics")!)
        request.timeoutInterval = 10
        guard let (data, _) = try? await URLSession.shared.data(for: request) else { return nil }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}
