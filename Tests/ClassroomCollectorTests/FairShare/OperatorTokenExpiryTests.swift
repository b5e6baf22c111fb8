import ClassroomCollector
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

@Suite("Operator token expiry")
struct OperatorTokenExpiryTests {
    @Test(
        "expires_in and expires_at: the token works until then, then 401 'operator token expired'", arguments: StoreKind.allCases)
    func expiry(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let short = try await client.call(
                    .post, "/api/v1/tokens", token: h.adminToken, json: ["role": "auditor", "name": "a", "expires_in": 60])
                #expect(short.status == .created, "\(short.text)")
                #expect(short.json["expires_at"] as? Int64 == h.clock.now + 60_000)
                let at = h.clock.now + 120_000
                let later = try await client.call(
                    .post, "/api/v1/tokens", token: h.adminToken, json: ["role": "auditor", "name": "b", "expires_at": at])
                #expect(later.json["expires_at"] as? Int64 == at)
                let never = try await client.token(.auditor, admin: h.adminToken)
                let first = try #require(short.json["token"] as? String)
                let second = try #require(later.json["token"] as? String)
                #expect(try await client.call(.get, "/api/v1/audit", token: first).status == .ok)
                h.clock.advance(seconds: 60)
                let expired = try await client.call(.get, "/api/v1/audit", token: first)
                #expect(expired.status == .unauthorized)
                #expect(expired.error?.message == "operator token expired")
                #expect(try await client.call(.get, "/api/v1/audit", token: second).status == .ok)
                h.clock.advance(seconds: 60)
                #expect(try await client.call(.get, "/api/v1/audit", token: second).status == .unauthorized)
                #expect(try await client.call(.get, "/api/v1/audit", token: never).status == .ok)
                // Listed with their expiry (stored by the new migration in both stores).
                let list = try await client.call(.get, "/api/v1/tokens", token: h.adminToken)
                let tokens = list.json["tokens"] as? [[String: Any]] ?? []
                #expect(tokens.first { $0["name"] as? String == "b" }?["expires_at"] as? Int64 == at)
                #expect(try await store.operatorTokens(schoolID: nil).filter { $0.expiresAt != nil }.count == 2)
            }
        }
    }

    @Test("expiry in the past, too far ahead, both fields, out of range: 400 naming the field, nothing created")
    func badExpiry() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let cases: [([String: Any], String)] = [
                    (["expires_at": h.clock.now - 1], "'expires_at'"),
                    (["expires_at": Int64.max], "'expires_at'"),
                    (["expires_at": Int64.min], "'expires_at'"),
                    (["expires_in": 59], "'expires_in'"),
                    (["expires_in": Int64.max], "'expires_in'"),
                    (["expires_in": 600, "expires_at": h.clock.now + 600_000], "give one, not both"),
                ]
                for (extra, mention) in cases {
                    let body = extra.merging(["role": "auditor", "name": "x"]) { a, _ in a }
                    let answer = try await client.call(.post, "/api/v1/tokens", token: h.adminToken, json: body)
                    #expect(answer.status == .badRequest, "\(extra): \(answer.text)")
                    #expect(answer.error?.message.contains(mention) == true, "\(extra): \(answer.text)")
                }
                #expect(try await store.operatorTokens(schoolID: nil).count == 1)
            }
        }
    }
}
