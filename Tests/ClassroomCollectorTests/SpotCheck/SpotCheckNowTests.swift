import ClassroomCollector
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

@Suite("spotcheck now")
struct SpotCheckNowTests {
    @Test("orders the lesson in progress and dispatches it at once; none running is 422; school admins only their own")
    func orderNow() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await SpotCheckDrawTests.fleet(client, h)
                h.setClock(h.instant("2026-W40", weekday: 3, "08:10"))
                for d in devices { try await store.markSeen(deviceID: d.id, at: h.clock.now, clockSkewMillis: nil) }
                let s1 = try await client.token(.schoolAdmin, school: "S1", admin: h.admin)
                let other = try await client.call(.post, "/api/v1/spotcheck/now", token: s1, json: ["school_id": "S2"])
                #expect(other.status == .forbidden)
                let none = try await client.call(.post, "/api/v1/spotcheck/now", token: s1, json: [:])
                #expect(none.status == .unprocessableContent)
                #expect(none.error?.message.contains("S1") == true)
                let unknown = try await client.call(.post, "/api/v1/spotcheck/now", token: h.admin, json: ["school_id": "S9"])
                #expect(unknown.status == .badRequest)

                let answer = try await client.call(.post, "/api/v1/spotcheck/now", token: h.admin, json: [:])
                #expect(answer.status == .created)
                #expect(answer.json["teacher_id"] as? String == "T3")
                #expect(answer.json["dispatch"] as? String == "sent")
                #expect(answer.json["source"] as? String == "now")
                let commands = try await client.call(.get, AgentRoutes.commands, token: devices[1].credential)
                    .decode(CommandList.self).commands
                #expect(commands.first?.spotcheck?.orderID == answer.json["id"] as? String)
                let listed = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40", token: h.admin)
                #expect((listed.json["orders"] as? [[String: Any]])?.count == 1)
            }
        }
    }
}
