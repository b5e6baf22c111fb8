import ClassroomCollector
import ClassroomWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Bad input")
struct BadInputTests {
    @Test("malformed JSON, wrong types, missing and unknown fields: 400 naming the field, nothing written")
    func malformed() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let cases: [(HTTPRequest.Method, String, String?, String, String)] = [
                    (.post, AgentRoutes.events, device.credential, "{\"sent_at\": 1, \"events\": [", "not valid JSON"),
                    (.post, AgentRoutes.events, device.credential, "{\"sent_at\": \"soon\", \"events\": []}", "'sent_at'"),
                    (.post, AgentRoutes.events, device.credential, "{\"events\": []}", "'sent_at'"),
                    (
                        .post, AgentRoutes.events, device.credential,
                        "{\"sent_at\": 1, \"events\": [{\"seq\": 1, \"at\": 1, \"kind\": \"meteor\"}]}", "'events[0].kind'"
                    ),
                    (
                        .post, AgentRoutes.events, device.credential,
                        "{\"sent_at\": 1, \"events\": [{\"seq\": 2, \"at\": 1, \"kind\": \"heartbeat\", \"heartbeat\": {\"agent_version\": \"x\", \"uptime_seconds\": 1, \"queue_depth\": 0, \"dropped_usage_total\": 0}}, {\"seq\": 2, \"at\": 1, \"kind\": \"heartbeat\", \"heartbeat\": {\"agent_version\": \"x\", \"uptime_seconds\": 1, \"queue_depth\": 0, \"dropped_usage_total\": 0}}]}",
                        "'events[1].seq'"
                    ),
                    (
                        .post, "/api/v1/tokens", h.adminToken, "{\"role\": \"bureau_admin\", \"name\": \"x\", \"admin\": true}",
                        "'admin'"
                    ),
                    (.post, "/api/v1/tokens", h.adminToken, "{\"role\": \"root\", \"name\": \"x\"}", "'role'"),
                    (.post, "/api/v1/tokens", h.adminToken, "[1, 2]", "JSON object"),
                    (.post, "/api/v1/tokens", h.adminToken, "{\"role\": \"auditor\", \"name\": \"\"}", "'name'"),
                    (
                        .post, "/api/v1/enrollment-tokens", h.adminToken,
                        "{\"school_id\": \"S1\", \"max_uses\": \"many\", \"expires_in_seconds\": 60}", "'max_uses'"
                    ),
                    (
                        .post, "/api/v1/enrollment-tokens", h.adminToken,
                        "{\"school_id\": \"S1\", \"max_uses\": 0, \"expires_in_seconds\": 60}", "'max_uses'"
                    ),
                    (.post, AgentRoutes.commandsAck, device.credential, "{\"ids\": \"c1\"}", "'ids'"),
                    (.put, "/api/v1/registry", h.adminToken, "{\"files\": {\"schools.csv\": \"***\"}}", "'files.schools.csv'"),
                    (.put, "/api/v1/registry", h.adminToken, "{\"files\": {\"evil.csv\": \"\"}}", "'files.evil.csv'"),
                ]
                for (method, path, token, body, mention) in cases {
                    let answer = try await client.call(method, path, token: token, raw: Data(body.utf8))
                    #expect(answer.status == .badRequest, "\(path) \(body): \(answer.status) \(answer.text)")
                    #expect(answer.error?.error == "invalid_request")
                    #expect(answer.error?.message.contains(mention) == true, "\(path): \(answer.text)")
                }
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).isEmpty)
                #expect(try await store.operatorTokens(schoolID: nil).count == 1)
            }
        }
    }

    @Test("oversized bodies and batches: 413 with an error body")
    func tooLarge() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let huge = Data(repeating: UInt8(ascii: " "), count: 5 * 1024 * 1024)
                let answer = try await client.call(.post, AgentRoutes.events, token: device.credential, raw: huge)
                #expect(answer.status == .contentTooLarge)
                #expect(answer.error?.error == "payload_too_large")
                let tooMany = AgentRouteTests.batch(1...Int64(EventBatch.maximumEvents + 1), sentAt: 0, at: 0)
                let batch = try await client.send(.post, AgentRoutes.events, token: device.credential, body: tooMany)
                #expect(batch.status == .contentTooLarge)
                #expect(batch.error?.message.contains("1000") == true)
                let enroll = try await client.call(.post, AgentRoutes.enroll, raw: Data(repeating: 0x20, count: 20_000))
                #expect(enroll.status == .contentTooLarge)
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).isEmpty)
            }
        }
    }

    @Test("SQL-looking text in every text field is stored verbatim, never executed", arguments: StoreKind.allCases)
    func sqlText(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            let evil = "x'); DROP TABLE devices; --"
            try await h.application().test(.router) { client in
                let token = try await client.call(
                    .post, "/api/v1/tokens", token: h.adminToken, json: ["role": "auditor", "name": evil])
                #expect(token.status == .created)
                #expect(token.json["name"] as? String == evil)
                let created = try await client.call(
                    .post, "/api/v1/enrollment-tokens", token: h.adminToken,
                    json: ["school_id": evil, "max_uses": 1, "expires_in_seconds": 60])
                #expect(created.status == .badRequest)
                let enrollToken = try await client.call(
                    .post, "/api/v1/enrollment-tokens", token: h.adminToken,
                    json: ["school_id": "S1", "max_uses": 2, "expires_in_seconds": 60])
                let secret = try #require(enrollToken.json["token"] as? String)
                let key = Data(repeating: 3, count: 32).base64EncodedString()
                let wrongRoom = try await client.send(
                    .post, AgentRoutes.enroll,
                    body: EnrollRequest(token: secret, roomID: evil, publicKey: key, hostname: evil, agentVersion: evil))
                #expect(wrongRoom.status == .badRequest)
                let ok = try await client.send(
                    .post, AgentRoutes.enroll,
                    body: EnrollRequest(token: secret, roomID: "R1", publicKey: key, hostname: evil, agentVersion: evil))
                #expect(ok.status == .created)
                let devices = try await client.call(
                    .get, "/api/v1/devices?school_id=\(evil.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    token: h.adminToken)
                #expect(devices.status == .ok)
                #expect((devices.json["devices"] as? [Any])?.isEmpty == true)
                #expect(try await store.devices(schoolID: nil).map(\.hostname) == [evil])
            }
        }
    }

    @Test("unknown routes and methods answer with the API's error body")
    func unknownRoute() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let missing = try await client.call(.get, "/api/v1/nothing-here", token: h.adminToken)
                #expect(missing.status == .notFound)
                #expect(missing.error?.error == "not_found")
                let health = try await client.call(.get, "/healthz")
                #expect(health.status == .ok)
                let metrics = try await client.call(.get, "/metrics")
                #expect(metrics.text.contains("collector_http_requests_total{status=\"4xx\"} 1"))
            }
        }
    }
}
