import ClassroomCollector
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

@Suite("Spot-check draw through the API")
struct SpotCheckDrawTests {
    /// Devices with camera and microphone in R2 (S1, teacher T2) and R3 (S2, T3); R1's has no camera.
    static func fleet(_ client: some TestClientProtocol, _ h: SpotCheckHarness) async throws -> [TestDevice] {
        [
            try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now),
            try await client.enrollDevice(room: "R3", school: "S2", admin: h.admin, now: h.clock.now),
            try await client.enrollDevice(room: "R1", school: "S1", admin: h.admin, now: h.clock.now, camera: false),
        ]
    }

    @Test("draw returns the commitment and the count, never the names", arguments: StoreKind.allCases)
    func drawCommits(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await Self.fleet(client, h)
                let answer = try await client.call(
                    .post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W40", "count": 5, "beacon": "b"])
                #expect(answer.status == .created)
                let commitment = answer.json["commitment"] as? String ?? ""
                #expect(commitment.count == 64 && SpotCheckHex.decode(commitment) != nil)
                #expect(answer.json["orders"] as? Int == 2)
                #expect(answer.json["shortfall"] as? Int == 3)
                #expect(answer.json["eligible_teachers"] as? Int == 2)
                for secret in ["T2", "T3", "R2", "R3", "李娜"] { #expect(!answer.text.contains(secret)) }
                // The week is drawn once, and weeks go in order.
                let again = try await client.call(.post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W40"])
                #expect(again.status == .conflict)
                let earlier = try await client.call(.post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W39"])
                #expect(earlier.status == .conflict)
                #expect(earlier.error?.message.contains("in order") == true)
                let audit = try await store.auditLog(schoolID: nil, limit: 10)
                #expect(audit.contains { $0.action == "spotcheck.draw" && $0.detail.contains(commitment) })
            }
        }
    }

    @Test("bad draw requests are 400 naming the field; over weeks are refused")
    func badDraws() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let cases: [([String: Any], String)] = [
                    (["week": "2026-48"], "week"), (["week": "2026-W40", "count": 0], "count"),
                    (["week": "2026-W40", "extra": 1], "extra"), (["count": 3], "week"),
                ]
                for (body, field) in cases {
                    let answer = try await client.call(.post, "/api/v1/spotcheck/draws", token: h.admin, json: body)
                    #expect(answer.status == .badRequest)
                    #expect(answer.error?.message.contains(field) == true)
                }
                let over = try await client.call(.post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W38"])
                #expect(over.status == .conflict)
                #expect(over.error?.message.contains("over") == true)
            }
        }
    }

    @Test("only a bureau admin draws and reveals")
    func roles() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                for role in [OperatorRole.bureauViewer, .auditor] {
                    let token = try await client.token(role, admin: h.admin)
                    let answer = try await client.call(.post, "/api/v1/spotcheck/draws", token: token, json: ["week": "2026-W40"])
                    #expect(answer.status == .forbidden)
                }
                let school = try await client.token(.schoolAdmin, school: "S1", admin: h.admin)
                let refused = try await client.call(.post, "/api/v1/spotcheck/draws", token: school, json: ["week": "2026-W40"])
                #expect(refused.status == .forbidden)
                let anonymous = try await client.call(.post, "/api/v1/spotcheck/draws", json: ["week": "2026-W40"])
                #expect(anonymous.status == .unauthorized)
                let reveal = try await client.call(.post, "/api/v1/spotcheck/weeks/2026-W40/reveal", token: school)
                #expect(reveal.status == .forbidden)
            }
        }
    }

    @Test(
        "list hides lessons not started; a school admin sees only its school; the reveal verifies offline",
        arguments: StoreKind.allCases)
    func listAndReveal(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await Self.fleet(client, h)
                let drawn = try await client.call(
                    .post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W40", "count": 5, "beacon": "b"])
                let commitment = drawn.json["commitment"] as? String ?? ""
                let viewer = try await client.token(.bureauViewer, admin: h.admin)
                let s2 = try await client.token(.schoolAdmin, school: "S2", admin: h.admin)

                let before = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40", token: viewer)
                #expect(before.status == .ok)
                #expect((before.json["orders"] as? [Any])?.isEmpty == true)
                #expect(before.json["hidden"] as? Int == 2)
                #expect(!before.text.contains("T2") && !before.text.contains("T3"))

                // Tuesday 10:00: T2's lesson (S1) has started, T3's (Wednesday) not yet.
                h.setClock(h.instant("2026-W40", weekday: 2, "10:00"))
                let tuesday = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40", token: viewer)
                let ids = (tuesday.json["orders"] as? [[String: Any]])?.compactMap { $0["teacher_id"] as? String }
                #expect(ids == ["T2"])
                #expect(tuesday.json["hidden"] as? Int == 1)
                let own = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40", token: s2)
                #expect((own.json["orders"] as? [Any])?.isEmpty == true)
                #expect(own.json["hidden"] == nil)

                let early = try await client.call(.post, "/api/v1/spotcheck/weeks/2026-W40/reveal", token: h.admin)
                #expect(early.status == .conflict)
                let unrevealed = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40/reveal", token: viewer)
                #expect(unrevealed.status == .notFound)

                h.setClock(h.instant("2026-W41", weekday: 1, "00:00"))
                let revealed = try await client.call(.post, "/api/v1/spotcheck/weeks/2026-W40/reveal", token: h.admin)
                #expect(revealed.status == .ok)
                let fetched = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40/reveal", token: viewer)
                #expect(fetched.body == revealed.body)
                let reveal = try fetched.decode(SpotCheckReveal.self)
                #expect(reveal.commitment == commitment)
                #expect(Set(reveal.orders.map(\.teacherID)) == ["T2", "T3"])
                let after = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40", token: s2)
                #expect((after.json["orders"] as? [[String: Any]])?.compactMap { $0["teacher_id"] as? String } == ["T3"])

                let dir = try TestProcess.temporaryDirectory("reveal")
                defer { try? FileManager.default.removeItem(at: dir) }
                let file = dir.appending(path: "2026-W40.json")
                try fetched.body.write(to: file)
                let ctl = try TestProcess.product("classroomctl")
                let ok = try TestProcess.run(ctl, ["spotcheck", "verify", "--file", file.path, "--commitment", commitment])
                #expect(ok.status == 0, "\(ok.stderr)")
                var forged = reveal
                forged.orders[0].roomID = "R1"
                try JSONEncoder().encode(forged).write(to: file)
                let bad = try TestProcess.run(ctl, ["spotcheck", "verify", "--file", file.path])
                #expect(bad.status == 1)
                #expect(bad.stderr.contains("room_id"))

                // The next week continues the rotation of this one (devices heard from within 24 h).
                for d in devices { try await store.markSeen(deviceID: d.id, at: h.clock.now, clockSkewMillis: nil) }
                let next = try await client.call(
                    .post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W41", "count": 5])
                #expect(next.status == .created)
                #expect(next.json["round"] as? Int == 2)
            }
        }
    }
}
