import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

/// schemathesis against the real `classroom-collector`: every documented operation, generated
/// requests (valid and invalid), no 5xx, only documented statuses, bodies matching their schemas.
@Suite("OpenAPI conformance (schemathesis)")
struct OpenAPIConformanceTests {
    @Test(
        "the running collector conforms to /api/v1/openapi.yaml",
        .enabled(if: ProcessInfo.processInfo.environment["CLASSROOMFLEET_SCHEMATHESIS"] != nil))
    func schemathesis() async throws {
        let tool = URL(filePath: ProcessInfo.processInfo.environment["CLASSROOMFLEET_SCHEMATHESIS"]!)
        let dir = try TestProcess.temporaryDirectory("collector-openapi")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Waits clamped to a second and a request rate no generated run reaches: the fuzzer's requests
        // reach the routes' own checks instead of the long-poll timer or the 429 of the token bucket.
        let server = try await RunningCollector.start(
            in: dir,
            serveArguments: ["--max-wait", "1", "--agent-requests-per-second", "10000", "--agent-request-burst", "1000000"])
        defer { server.stop() }
        let files = TestRegistry.files().mapValues { Data($0).base64EncodedString() }
        _ = try await server.call("PUT", "/api/v1/registry", json: ["files": files])
        let checks = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
        func run(_ extra: [String], header: String) throws -> TestProcess.Output {
            try TestProcess.run(
                tool,
                [
                    "run", server.base + "/api/v1/openapi.yaml", "-H", header, "--checks", checks, "--phases", "coverage,fuzzing",
                    "--workers", "1", "--seed", "2026",
                ] + extra, environment: ["SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"], timeout: .seconds(600))
        }
        let result = try run(["--max-examples", "15"], header: "Authorization: Bearer \(server.adminToken)")
        #expect(result.status == 0, "schemathesis:\n\(result.stdout.suffix(4000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("passed"))
        #expect(!result.stdout.contains("Server error"))

        // The agent routes again, as an enrolled device: the checks behind the credential are reached.
        // The fuzzer may have revoked the admin token (DELETE /api/v1/tokens/{id}): a fresh one, made
        // in the database the way an administrator bootstraps.
        let fresh = try TestProcess.run(
            try TestProcess.product("classroom-collector"),
            ["token", "create", "--role", "bureau_admin", "--name", "after-fuzz", "--db", server.database])
        let admin = fresh.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await server.call("PUT", "/api/v1/registry", token: admin, json: ["files": files])
        let token = try await server.call(
            "POST", "/api/v1/enrollment-tokens", token: admin,
            json: ["school_id": "S1", "max_uses": 1, "expires_in_seconds": 600])
        let enrolled = try await server.call(
            "POST", AgentRoutes.enroll, token: "",
            json: [
                "token": token.1["token"] as? String ?? "", "room_id": "R1",
                "public_key": Data(repeating: 9, count: 32).base64EncodedString(), "hostname": "fuzz", "agent_version": "0.1",
            ])
        let credential = try #require(enrolled.1["credential"] as? String, "enroll: \(enrolled) token: \(token)")
        let device = try run(
            ["--max-examples", "60", "--include-path-regex", "^/api/v1/agent/(events|commands)"],
            header: "Authorization: Bearer \(credential)")
        #expect(device.status == 0, "schemathesis (device):\n\(device.stdout.suffix(4000))\n\(device.stderr.suffix(2000))")
        #expect(device.stdout.contains("passed"))
        #expect(!device.stdout.contains("Server error"))
        // The device's requests were authenticated: the collector heard from it after enrolling it
        // (answers of 401 would leave `last_seen_at` at the enrollment).
        let seen = try await server.call("GET", "/api/v1/devices", token: admin)
        let fuzzed = (seen.1["devices"] as? [[String: Any]] ?? []).first { $0["hostname"] as? String == "fuzz" }
        let enrolledAt = try #require(fuzzed?["enrolled_at"] as? Int)
        #expect((fuzzed?["last_seen_at"] as? Int ?? 0) > enrolledAt)
    }
}
