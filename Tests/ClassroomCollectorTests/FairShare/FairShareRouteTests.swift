import ClassroomCollector
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

/// What one device credential may take: long-poll slots, request rate and daily upload bytes;
/// another device is never affected.
@Suite("Fair share per device credential")
struct FairShareRouteTests {
    @Test(
        "a third concurrent long-poll answers the oldest at once, empty; the other two still get the command",
        arguments: StoreKind.allCases)
    func thirdPollDisplacesOldest(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application(maximumWait: 600).test(.router) { client in
                let device = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
                let poll = AgentRoutes.commands + "?wait=600"
                async let first = client.call(.get, poll, token: device.credential)
                while h.notifier.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
                async let second = client.call(.get, poll, token: device.credential)
                while h.notifier.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
                async let third = client.call(.get, poll, token: device.credential)
                // Only the displacement can end the first poll before its 600 s wait.
                let displaced = try await first
                #expect(displaced.status == .ok)
                #expect(try displaced.decode(CommandList.self).commands.isEmpty)
                while h.notifier.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
                #expect(h.notifier.waiting == 2)
                let queued = try await client.call(
                    .post, "/api/v1/devices/\(device.deviceID)/commands", token: h.adminToken, json: ["kind": "chime"])
                let command = try queued.decode(AgentCommand.self)
                #expect(try await second.decode(CommandList.self).commands == [command])
                #expect(try await third.decode(CommandList.self).commands == [command])
            }
        }
    }

    @Test("over the request rate: 429 with Retry-After and a JSON error; other devices unaffected; refilled later")
    func requestRate() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            let limits = AgentLimits(requestsPerSecond: 0.5, requestBurst: 3)
            try await h.application(agentLimits: limits).test(.router) { client in
                let a = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let b = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
                for _ in 0..<3 { #expect(try await client.call(.get, AgentRoutes.commands, token: a.credential).status == .ok) }
                let refused = try await client.call(.get, AgentRoutes.commands, token: a.credential)
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.retryAfter] == "2")
                #expect(refused.error?.error == "too_many_requests")
                #expect(refused.error?.message.contains("request rate") == true)
                // Every agent route counts, uploads included.
                let upload = try await client.send(
                    .post, AgentRoutes.events, token: a.credential, body: EventBatch(sentAt: h.clock.now, events: []))
                #expect(upload.status == .tooManyRequests)
                // A leaked credential hammering away does not lock out another device.
                for _ in 0..<3 { #expect(try await client.call(.get, AgentRoutes.commands, token: b.credential).status == .ok) }
                h.clock.advance(seconds: 2)
                #expect(try await client.call(.get, AgentRoutes.commands, token: a.credential).status == .ok)
                // Bad credentials create no state and are 401, not 429.
                #expect(try await client.call(.get, AgentRoutes.commands, token: "cfd_nonsense").status == .unauthorized)
            }
        }
    }

    static func heartbeats(_ seqs: ClosedRange<Int64>, at: Int64) -> EventBatch {
        EventBatch(
            sentAt: at,
            events: seqs.map {
                AgentEvent(
                    seq: $0, at: at,
                    body: .heartbeat(Heartbeat(agentVersion: "0.1.0", uptimeSeconds: 1, queueDepth: 0, droppedUsageTotal: 0)))
            })
    }

    @Test(
        "over the daily upload quota: 429 until the next UTC day, nothing stored; other devices unaffected",
        arguments: StoreKind.allCases)
    func uploadQuota(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            // 10:00 UTC: 14 hours to the next UTC day.
            let day: Int64 = 1_790_035_200_000 / 86_400_000 * 86_400_000
            h.clock.set(day + 10 * 3_600_000)
            let batchBytes = try JSONEncoder().encode(Self.heartbeats(1...10, at: h.clock.now)).count
            let limits = AgentLimits(uploadBytesPerDay: Int64(batchBytes * 2 + batchBytes / 2))
            try await h.application(agentLimits: limits).test(.router) { client in
                let a = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let b = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
                for (i, token) in [a.credential, a.credential, b.credential].enumerated() {
                    let seqs = Int64(i * 10 + 1)...Int64(i * 10 + 10)
                    let answer = try await client.send(
                        .post, AgentRoutes.events, token: token, body: Self.heartbeats(seqs, at: h.clock.now))
                    #expect(answer.status == .ok, "\(answer.text)")
                }
                let over = try await client.send(
                    .post, AgentRoutes.events, token: a.credential, body: Self.heartbeats(31...40, at: h.clock.now))
                #expect(over.status == .tooManyRequests)
                #expect(over.headers[.retryAfter] == "\(14 * 3600)")
                #expect(over.error?.error == "too_many_requests")
                #expect(over.error?.message.contains("daily upload quota") == true)
                #expect(try await store.highestEventSeq(deviceID: a.deviceID) == 20)
                // The other device still has its own quota.
                let other = try await client.send(
                    .post, AgentRoutes.events, token: b.credential, body: Self.heartbeats(41...50, at: h.clock.now))
                #expect(other.status == .ok)
                h.clock.advance(seconds: 14 * 3600)
                let nextDay = try await client.send(
                    .post, AgentRoutes.events, token: a.credential, body: Self.heartbeats(31...40, at: h.clock.now))
                #expect(nextDay.status == .ok)
                #expect(try await store.highestEventSeq(deviceID: a.deviceID) == 40)
            }
        }
    }
}
