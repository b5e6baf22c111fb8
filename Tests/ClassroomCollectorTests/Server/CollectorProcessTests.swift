import ClassroomCollector
import ClassroomTestSupport
import ClassroomWire
import CollectorAPI
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real `classroom-collector` executable: bootstrap token, sd_notify, and a graceful shutdown
/// that ends long-polls.
@Suite("classroom-collector process")
struct CollectorProcessTests {
    @Test("serve: READY=1 over NOTIFY_SOCKET; SIGTERM ends a waiting long-poll with an empty answer, STOPPING=1, exit 0")
    func serveLifecycle() async throws {
        let dir = try TestProcess.temporaryDirectory("collector-process")
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = try TestProcess.product("classroom-collector")
        let db = "sqlite:" + dir.appending(path: "c.sqlite").path
        let created = try TestProcess.run(binary, ["token", "create", "--role", "bureau_admin", "--name", "test", "--db", db])
        #expect(created.status == 0, "\(created.stderr)")
        let admin = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(admin.hasPrefix(SecretPrefix.operatorToken))
        let refused = try TestProcess.run(binary, ["token", "create", "--role", "root", "--name", "x", "--db", db])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("unknown --role 'root'"))

        let socket = try NotifyReceiver(address: dir.appending(path: "notify").path, timeout: .seconds(60))
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--db", db, "--log-level", "warning"]
        process.environment = ProcessInfo.processInfo.environment.merging(["NOTIFY_SOCKET": socket.address]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        #expect(try socket.next() == "READY=1")
        let line = try readLine(out.fileHandleForReading, containing: "listening on")
        let port = try #require(line.split(separator: ":").last.map { String($0) })
        let base = "http://127.0.0.1:\(port)"

        func call(_ method: String, _ path: String, token: String?, json: Any? = nil) async throws -> (Int, [String: Any]) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.timeoutInterval = 120
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let json { request.httpBody = try JSONSerialization.data(withJSONObject: json) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
        }
        let files = TestRegistry.files().mapValues { Data($0).base64EncodedString() }
        #expect(try await call("PUT", "/api/v1/registry", token: admin, json: ["files": files]).0 == 200)
        let enrollToken = try await call(
            "POST", "/api/v1/enrollment-tokens", token: admin,
            json: ["school_id": "S1", "max_uses": 1, "expires_in_seconds": 600])
        let enrolled = try await call(
            "POST", AgentRoutes.enroll, token: nil,
            json: [
                "token": enrollToken.1["token"] as? String ?? "", "room_id": "R1",
                "public_key": Data(repeating: 9, count: 32).base64EncodedString(), "hostname": "pc", "agent_version": "0.1",
            ])
        #expect(enrolled.0 == 201)
        let credential = try #require(enrolled.1["credential"] as? String)

        async let poll = call("GET", AgentRoutes.commands + "?wait=60", token: credential)
        var waiting = false
        while !waiting {
            var request = URLRequest(url: URL(string: base + "/metrics")!)
            request.timeoutInterval = 10
            let (data, _) = try await URLSession.shared.data(for: request)
            waiting = String(decoding: data, as: UTF8.self).contains("collector_long_polls_waiting 1")
            if !waiting { try await Task.sleep(for: .milliseconds(20)) }
        }
        kill(process.processIdentifier, SIGTERM)
        let (status, body) = try await poll
        #expect(status == 200)
        #expect((body["commands"] as? [Any])?.isEmpty == true)
        #expect(try socket.next() == "STOPPING=1")
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test("Systemd/classroom-collector.service passes systemd-analyze verify without warnings")
    func unitVerifies() throws {
        let dir = try TestProcess.temporaryDirectory("collector-unit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let unit = try String(contentsOf: root.appending(path: "Systemd/classroom-collector.service"), encoding: .utf8)
        #expect(unit.contains("Type=notify"))
        #expect(unit.contains("StateDirectory=classroom-collector"))
        #expect(unit.contains("User=classroom-collector"))
        let sysusers = try String(
            contentsOf: root.appending(path: "Systemd/sysusers.d/classroom-collector.conf"), encoding: .utf8)
        #expect(sysusers.contains("u classroom-collector "))
        // verify checks that ExecStart exists: point it at the built binary.
        let built = try TestProcess.product("classroom-collector").path
        let copy = dir.appending(path: "classroom-collector.service")
        try unit.replacingOccurrences(of: "/usr/bin/classroom-collector", with: built).write(
            to: copy, atomically: true, encoding: .utf8)
        let result = try TestProcess.run(URL(filePath: "/usr/bin/systemd-analyze"), ["verify", copy.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("classroom-collector.service:"), "\(result.stderr)")
        // A broken copy is caught, so the check can fail.
        let broken = dir.appending(path: "broken.service")
        try unit.replacingOccurrences(of: "Type=notify", with: "Type=notfy").write(to: broken, atomically: true, encoding: .utf8)
        let bad = try TestProcess.run(URL(filePath: "/usr/bin/systemd-analyze"), ["verify", broken.path])
        #expect(bad.stderr.contains("notfy"))
    }

    @Test("OpenAPI: one document in the repository, the CollectorAPI target's resource, served as it is")
    func openAPIFile() throws {
        let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let source = root.appending(path: "Sources/CollectorAPI/openapi.yaml")
        // Deploy/openapi/collector-v1.yaml is a link to the target's file, not a second copy.
        let link = try FileManager.default.destinationOfSymbolicLink(
            atPath: root.appending(path: "Deploy/openapi/collector-v1.yaml").path)
        #expect(link == "../../Sources/CollectorAPI/openapi.yaml")
        let file = try String(contentsOf: source, encoding: .utf8)
        #expect(try OpenAPIDocument.shared.get() == file)
        // $CLASSROOMFLEET_OPENAPI comes first; a missing file there falls through to the resource.
        let dir = try TestProcess.temporaryDirectory("openapi-resource")
        let other = dir.appending(path: "other.yaml")
        try "openapi: 3.0.3\n".write(to: other, atomically: true, encoding: .utf8)
        #expect(try OpenAPIDocument.load(environment: ["CLASSROOMFLEET_OPENAPI": other.path]) == "openapi: 3.0.3\n")
        let missing = dir.appending(path: "missing.yaml").path
        #expect(try OpenAPIDocument.load(environment: ["CLASSROOMFLEET_OPENAPI": missing]) == file)
        #expect(OpenAPIDocument.searchPath(environment: ["CLASSROOMFLEET_OPENAPI": missing]).first == missing)
        // The package layout: /usr/bin/classroom-collector reads /usr/share/classroomfleet/openapi/collector-v1.yaml
        // (Deploy/debian/build-packages copies Deploy/openapi there, following the link).
        let installed = OpenAPIDocument.searchPath(environment: [:])
        #expect(installed.count == 2)
        #expect(installed.last?.hasSuffix("/share/classroomfleet/openapi/collector-v1.yaml") == true, "\(installed)")
    }
}

/// Reads lines from a pipe until one contains `marker`.
func readLine(_ handle: FileHandle, containing marker: String) throws -> String {
    var buffer = ""
    while true {
        let data = handle.availableData
        guard !data.isEmpty else { throw TestSupportError("output ended before '\(marker)'") }
        buffer += String(decoding: data, as: UTF8.self)
        if let line = buffer.split(separator: "\n").first(where: { $0.contains(marker) }) {
            return line.trimmingCharacters(in: .whitespaces)
        }
    }
}
