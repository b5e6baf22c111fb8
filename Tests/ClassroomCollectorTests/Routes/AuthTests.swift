import ClassroomCollector
import ClassroomWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Operator auth and roles")
struct AuthTests {
    /// Every operator route × every role: the statuses each role gets (S1's school admin).
    @Test("role matrix", arguments: StoreKind.allCases)
    func roleMatrix(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let s1Device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let s2Device = try await client.enroll(room: "R3", school: "S2", admin: h.adminToken)
                var tokens: [String: String] = ["bureau_admin": h.adminToken]
                for role in [OperatorRole.bureauViewer, .auditor] {
                    tokens[role.rawValue] = try await client.token(role, admin: h.adminToken)
                }
                tokens["school_admin"] = try await client.token(.schoolAdmin, school: "S1", admin: h.adminToken)
                tokens["device"] = s1Device.credential
                tokens["none"] = nil

                struct Route {
                    var method: HTTPRequest.Method
                    var path: String
                    var body: [String: Any]?
                    /// Expected status per role: bureau_admin, bureau_viewer, auditor, school_admin, device, none.
                    var expected: [HTTPResponse.Status]
                }
                let s1 = s1Device.deviceID
                let s2 = s2Device.deviceID
                let routes = [
                    Route(
                        method: .get, path: "/api/v1/tokens",
                        expected: [.ok, .forbidden, .forbidden, .ok, .forbidden, .unauthorized]),
                    Route(method: .get, path: "/api/v1/devices", expected: [.ok, .ok, .ok, .ok, .forbidden, .unauthorized]),
                    Route(
                        method: .get, path: "/api/v1/devices?school_id=S2",
                        expected: [.ok, .ok, .ok, .forbidden, .forbidden, .unauthorized]),
                    Route(
                        method: .get, path: "/api/v1/devices/\(s1)", expected: [.ok, .ok, .ok, .ok, .forbidden, .unauthorized]),
                    Route(
                        method: .get, path: "/api/v1/devices/\(s2)",
                        expected: [.ok, .ok, .ok, .forbidden, .forbidden, .unauthorized]),
                    Route(
                        method: .post, path: "/api/v1/devices/\(s2)/commands", body: ["kind": "chime"],
                        expected: [.created, .forbidden, .forbidden, .forbidden, .forbidden, .unauthorized]),
                    Route(
                        method: .post, path: "/api/v1/devices/\(s1)/commands", body: ["kind": "inventory_refresh"],
                        expected: [.created, .forbidden, .forbidden, .created, .forbidden, .unauthorized]),
                    Route(
                        method: .post, path: "/api/v1/enrollment-tokens",
                        body: ["school_id": "S2", "max_uses": 1, "expires_in_seconds": 600],
                        expected: [.created, .forbidden, .forbidden, .forbidden, .forbidden, .unauthorized]),
                    Route(
                        method: .post, path: "/api/v1/enrollment-tokens",
                        body: ["school_id": "S1", "max_uses": 1, "expires_in_seconds": 600],
                        expected: [.created, .forbidden, .forbidden, .created, .forbidden, .unauthorized]),
                    Route(
                        method: .post, path: "/api/v1/tokens", body: ["role": "bureau_admin", "name": "escalate"],
                        expected: [.created, .forbidden, .forbidden, .forbidden, .forbidden, .unauthorized]),
                    Route(
                        method: .post, path: "/api/v1/tokens",
                        body: ["role": "school_admin", "name": "other", "school_id": "S2"],
                        expected: [.created, .forbidden, .forbidden, .forbidden, .forbidden, .unauthorized]),
                    Route(
                        method: .get, path: "/api/v1/audit", expected: [.ok, .forbidden, .ok, .ok, .forbidden, .unauthorized]),
                    Route(method: .get, path: "/api/v1/registry", expected: [.ok, .ok, .ok, .ok, .forbidden, .unauthorized]),
                    Route(
                        method: .put, path: "/api/v1/registry", body: ["files": [String: String]()],
                        expected: [.unprocessableContent, .forbidden, .forbidden, .forbidden, .forbidden, .unauthorized]),
                ]
                let roles = ["bureau_admin", "bureau_viewer", "auditor", "school_admin", "device", "none"]
                for route in routes {
                    for (role, expected) in zip(roles, route.expected) {
                        let answer = try await client.call(route.method, route.path, token: tokens[role], json: route.body)
                        #expect(answer.status == expected, "\(route.method) \(route.path) as \(role): \(answer.text)")
                        if expected.code >= 400 { #expect(answer.error != nil, "\(route.path) as \(role): body \(answer.text)") }
                    }
                }
            }
        }
    }

    @Test("a school admin sees only its school's devices, tokens and audit entries")
    func schoolScoping() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                _ = try await client.enroll(room: "R3", school: "S2", admin: h.adminToken)
                let s1 = try await client.token(.schoolAdmin, school: "S1", admin: h.adminToken)
                _ = try await client.token(.schoolAdmin, school: "S2", admin: h.adminToken)
                let devices = try await client.call(.get, "/api/v1/devices", token: s1).json["devices"] as? [[String: Any]]
                #expect(devices?.compactMap { $0["school_id"] as? String } == ["S1"])
                let tokens = try await client.call(.get, "/api/v1/tokens", token: s1).json["tokens"] as? [[String: Any]]
                #expect(tokens?.allSatisfy { $0["school_id"] as? String == "S1" } == true)
                #expect(tokens?.contains { $0["token"] != nil } == false)
                let audit = try await client.call(.get, "/api/v1/audit", token: s1).json["entries"] as? [[String: Any]]
                #expect(audit?.isEmpty == false)
                #expect(audit?.allSatisfy { $0["school_id"] as? String == "S1" } == true)
                // A school admin may mint another school admin of its own school, not of another.
                #expect(try await client.token(.schoolAdmin, school: "S1", admin: s1).hasPrefix(SecretPrefix.operatorToken))
            }
        }
    }

    @Test("revoked operator tokens are refused; every write is audit-logged")
    func revocationAndAudit() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let viewer = try await client.token(.bureauViewer, admin: h.adminToken)
                #expect(try await client.call(.get, "/api/v1/devices", token: viewer).status == .ok)
                let list = try await client.call(.get, "/api/v1/tokens", token: h.adminToken).json["tokens"] as? [[String: Any]]
                let id = try #require(list?.first { $0["role"] as? String == "bureau_viewer" }?["id"] as? String)
                #expect(try await client.call(.delete, "/api/v1/tokens/\(id)", token: h.adminToken).status == .noContent)
                #expect(try await client.call(.delete, "/api/v1/tokens/\(id)", token: h.adminToken).status == .conflict)
                #expect(try await client.call(.delete, "/api/v1/tokens/nope", token: h.adminToken).status == .notFound)
                #expect(try await client.call(.get, "/api/v1/devices", token: viewer).status == .unauthorized)
                let actions = try await store.auditLog(schoolID: nil, limit: 100).map(\.action)
                #expect(actions.contains("token.create"))
                #expect(actions.contains("token.revoke"))
                #expect(actions.first == "token.revoke")
            }
        }
    }
}
