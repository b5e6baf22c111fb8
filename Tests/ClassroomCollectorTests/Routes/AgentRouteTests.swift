import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

@Suite("Agent API")
struct AgentRouteTests {
    static func batch(_ seqs: ClosedRange<Int64>, sentAt: Int64, at: Int64, version: String = "0.1.0") -> EventBatch {
        EventBatch(
            sentAt: sentAt,
            events: seqs.map {
                AgentEvent(
                    seq: $0, at: at + $0,
                    body: .heartbeat(Heartbeat(agentVersion: version, uptimeSeconds: $0, queueDepth: 0, droppedUsageTotal: 0)))
            })
    }

    @Test(
        "a heartbeat's agent version replaces the enrolled one (an upgraded package); a bad one is a 400",
        arguments: StoreKind.allCases)
    func upgradedVersion(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                #expect(try await store.device(id: device.deviceID)?.agentVersion == "0.1.0")
                let upgraded = try await client.send(
                    .post, AgentRoutes.events, token: device.credential,
                    body: Self.batch(1...2, sentAt: h.clock.now, at: h.clock.now - 10, version: "0.1.0+git20261204.ab12cd34"))
                #expect(upgraded.status == .ok)
                #expect(try await store.device(id: device.deviceID)?.agentVersion == "0.1.0+git20261204.ab12cd34")
                let bad = try await client.send(
                    .post, AgentRoutes.events, token: device.credential,
                    body: Self.batch(3...3, sentAt: h.clock.now, at: h.clock.now - 10, version: "1.0\u{7}"))
                #expect(bad.status == .badRequest)
                #expect(bad.error?.message == "field 'events[0].heartbeat.agent_version' contains control characters")
                #expect(try await store.device(id: device.deviceID)?.agentVersion == "0.1.0+git20261204.ab12cd34")
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).count == 2)
            }
        }
    }

    @Test("enroll, then events: duplicates acknowledged and not stored twice, skew corrected", arguments: StoreKind.allCases)
    func eventsAndDuplicates(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                #expect(device.schoolID == "S1")
                #expect(device.credential.hasPrefix(SecretPrefix.deviceCredential))
                // The agent's clock is 90 s slow.
                let agentNow = h.clock.now - 90_000
                let first = try await client.send(
                    .post, AgentRoutes.events, token: device.credential,
                    body: Self.batch(1...50, sentAt: agentNow, at: agentNow - 1000))
                #expect(first.status == .ok)
                let ack = try first.decode(EventAck.self)
                #expect(ack.acknowledgedThrough == 50)
                #expect(ack.accepted == 50)
                #expect(ack.duplicates == 0)
                #expect(ack.clockSkewMillis == 90_000)
                // The answer was "lost": the agent re-sends 41…60.
                let again = try await client.send(
                    .post, AgentRoutes.events, token: device.credential,
                    body: Self.batch(41...60, sentAt: agentNow, at: agentNow - 1000))
                let ack2 = try again.decode(EventAck.self)
                #expect(ack2.accepted == 10)
                #expect(ack2.duplicates == 10)
                #expect(ack2.acknowledgedThrough == 60)
                let stored = try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 1000)
                #expect(stored.count == 60)
                #expect(stored.first?.agentAt == agentNow - 1000 + 1)
                #expect(stored.first?.at == agentNow - 1000 + 1 + 90_000)
                #expect(try await store.device(id: device.deviceID)?.clockSkewMillis == 90_000)
                // An empty batch acknowledges what is already stored.
                let empty = try await client.send(
                    .post, AgentRoutes.events, token: device.credential, body: EventBatch(sentAt: agentNow, events: []))
                #expect(try empty.decode(EventAck.self).acknowledgedThrough == 60)
            }
        }
    }

    @Test("agent routes answer 401 without a valid device credential", arguments: StoreKind.allCases)
    func unauthorized(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let batch = Self.batch(1...1, sentAt: 0, at: 0)
                for token in [nil, "cfd_nonsense", h.adminToken, "Basic abc"] as [String?] {
                    let events = try await client.send(.post, AgentRoutes.events, token: token, body: batch)
                    #expect(events.status == .unauthorized)
                    #expect(events.error?.error == "unauthorized")
                    let commands = try await client.call(.get, AgentRoutes.commands, token: token)
                    #expect(commands.status == .unauthorized)
                }
                // Revoked: 401 from then on.
                let revoke = try await client.call(.post, "/api/v1/devices/\(device.deviceID)/revoke", token: h.adminToken)
                #expect(revoke.status == .noContent)
                #expect(
                    try await client.send(.post, AgentRoutes.events, token: device.credential, body: batch).status
                        == .unauthorized)
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).isEmpty)
            }
        }
    }

    @Test("enrollment token past its use limit or expiry, or for another school's room, is refused")
    func enrollmentRefusals() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let created = try await client.call(
                    .post, "/api/v1/enrollment-tokens", token: h.adminToken,
                    json: ["school_id": "S1", "max_uses": 1, "expires_in_seconds": 60])
                let token = try #require(created.json["token"] as? String)
                let key = Data(repeating: 1, count: 32).base64EncodedString()
                func enroll(_ room: String) async throws -> Answer {
                    try await client.send(
                        .post, AgentRoutes.enroll,
                        body: EnrollRequest(token: token, roomID: room, publicKey: key, hostname: "pc", agentVersion: "0.1"))
                }
                #expect(try await enroll("R3").status == .forbidden)  // S2's room
                #expect(try await enroll("R404").status == .badRequest)
                #expect(try await enroll("R1").status == .created)
                let exhausted = try await enroll("R2")
                #expect(exhausted.status == .forbidden)
                #expect(exhausted.error?.error == "token_exhausted")
                let other = try await client.call(
                    .post, "/api/v1/enrollment-tokens", token: h.adminToken,
                    json: ["school_id": "S1", "max_uses": 5, "expires_in_seconds": 60])
                let token2 = try #require(other.json["token"] as? String)
                h.clock.advance(seconds: 61)
                let expired = try await client.send(
                    .post, AgentRoutes.enroll,
                    body: EnrollRequest(token: token2, roomID: "R1", publicKey: key, hostname: "pc", agentVersion: "0.1"))
                #expect(expired.error?.error == "token_expired")
                let badKey = try await client.send(
                    .post, AgentRoutes.enroll,
                    body: EnrollRequest(token: token2, roomID: "R1", publicKey: "c2hvcnQ=", hostname: "pc", agentVersion: "0.1"))
                #expect(badKey.status == .badRequest)
                #expect(badKey.error?.message.contains("public_key") == true)
                #expect(try await store.devices(schoolID: nil).count == 1)
            }
        }
    }
}
