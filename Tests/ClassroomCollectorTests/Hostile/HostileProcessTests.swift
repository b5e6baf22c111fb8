import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

/// The reported defect against the real `classroom-collector` process: a batch whose `sent_at` is
/// `Int64.min` used to overflow `t - sent_at`, trap, and drop every long-poll of the county.
@Suite("Hostile input against the collector process")
struct HostileProcessTests {
    @Test("sent_at = Int64.min and at = Int64.max: 400 naming the field; a waiting long-poll survives; the process keeps serving")
    func sentAtOverflow() async throws {
        let dir = try TestProcess.temporaryDirectory("collector-hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await RunningCollector.start(in: dir)
        defer { server.stop() }
        let files = TestRegistry.files().mapValues { Data($0).base64EncodedString() }
        #expect(try await server.call("PUT", "/api/v1/registry", json: ["files": files]).0 == 200)
        let created = try await server.call(
            "POST", "/api/v1/enrollment-tokens", json: ["school_id": "S1", "max_uses": 2, "expires_in_seconds": 600])
        func enroll(_ room: String) async throws -> String {
            let answer = try await server.call(
                "POST", AgentRoutes.enroll, token: "",
                json: [
                    "token": created.1["token"] as? String ?? "", "room_id": room,
                    "public_key": Data(repeating: 9, count: 32).base64EncodedString(), "hostname": "pc", "agent_version": "0.1",
                ])
            #expect(answer.0 == 201, "\(answer.1)")
            return try #require(answer.1["credential"] as? String)
        }
        let attacker = try await enroll("R1")
        let bystander = try await enroll("R2")
        // Another device's long-poll is held while the bad batches arrive; it must end normally, not be dropped.
        async let held = server.call("GET", AgentRoutes.commands + "?wait=3", token: bystander)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let heartbeat: [String: Any] = [
            "agent_version": "0.1", "uptime_seconds": 1, "queue_depth": 0, "dropped_usage_total": 0,
        ]
        let cases: [([String: Any], String)] = [
            (
                ["sent_at": Int64.min, "events": [["seq": 1, "at": now, "kind": "heartbeat", "heartbeat": heartbeat]]],
                "'sent_at'"
            ),
            (["sent_at": Int64.max, "events": [] as [Any]], "'sent_at'"),
            (
                ["sent_at": now, "events": [["seq": 1, "at": Int64.max, "kind": "heartbeat", "heartbeat": heartbeat]]],
                "'events[0].at'"
            ),
            (
                ["sent_at": now, "events": [["seq": 1, "at": Int64.min, "kind": "heartbeat", "heartbeat": heartbeat]]],
                "'events[0].at'"
            ),
        ]
        for _ in 0..<3 {
            for (body, mention) in cases {
                let (status, answer) = try await server.call("POST", AgentRoutes.events, token: attacker, json: body)
                #expect(status == 400, "\(body): \(answer)")
                #expect((answer["message"] as? String)?.contains(mention) == true, "\(answer)")
            }
        }
        let (heldStatus, heldBody) = try await held
        #expect(heldStatus == 200)
        #expect((heldBody["commands"] as? [Any])?.isEmpty == true)
        #expect(server.process.isRunning)
        let good = try await server.call(
            "POST", AgentRoutes.events, token: attacker,
            json: ["sent_at": now, "events": [["seq": 1, "at": now, "kind": "heartbeat", "heartbeat": heartbeat]]])
        #expect(good.0 == 200)
        #expect(good.1["acknowledged_through"] as? Int == 1)
    }
}
