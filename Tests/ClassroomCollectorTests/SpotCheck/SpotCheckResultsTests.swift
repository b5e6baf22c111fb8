import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Crypto
import Foundation
import HummingbirdTesting
import Logging
import Testing

@Suite("Spot-check results")
struct SpotCheckResultsTests {
    static func results(_ client: some TestClientProtocol, token: String) async throws -> [String: [String: Any]] {
        let answer = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40/results", token: token)
        guard answer.status == .ok else { throw TestFailure("results: \(answer.text)") }
        var byOrder: [String: [String: Any]] = [:]
        for row in answer.json["results"] as? [[String: Any]] ?? [] {
            let order = row["order"] as? [String: Any] ?? [:]
            byOrder[order["teacher_id"] as? String ?? ""] = row
        }
        return byOrder
    }

    @Test(
        "a streamed lesson with verified evidence is conducted; a never-polled device is offline",
        arguments: StoreKind.allCases)
    func conductedAndOffline(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let (device, orderID) = try await SpotCheckDispatchTests.drawn(client, h)
                let start = h.instant("2026-W40", weekday: 2, "10:00")
                let end = h.instant("2026-W40", weekday: 2, "10:40")
                h.setClock(start - 60_000)
                _ = try await h.dispatcher.dispatchDue(now: h.clock.now, logger: SpotCheckDispatchTests.logger)
                let list = try await client.call(.get, AgentRoutes.commands, token: device.credential).decode(CommandList.self)
                let command = try #require(list.commands.first)
                _ = try await client.send(
                    .post, AgentRoutes.commandsAck, token: device.credential, body: CommandAckRequest(ids: [command.id]))
                let key = String(command.spotcheck!.ingestURL.split(separator: "/").last!)
                h.setClock(start + 5_000)
                #expect(try await client.mediaHook("on_publish", key: key).status == .found)
                let pending = try await Self.results(client, token: h.admin)
                #expect(pending["T2"]?["status"] as? String == "pending")
                h.setClock(end)
                // After the rename nginx may report the stream by its public name: the end is recorded all the same.
                #expect(try await client.mediaHook("on_publish_done", key: "lesson-\(orderID)").status == .ok)
                #expect(try await store.spotCheckOrder(id: orderID)?.publishEndedAt == end)
                let payload = SpotCheckEvidencePayload(
                    orderID: orderID, startedAt: start + 5_000, endedAt: end, frames: 60_000, bytesSent: 90_000_000,
                    speechRatio: 0.7, camera: "usb-cam-R2", microphone: "mic-R2")
                try await client.upload(
                    device, now: h.clock.now,
                    [AgentEvent(seq: 2, at: h.clock.now, body: .evidence(try device.evidence(payload)))])
                // Wednesday's lesson of T3 (R3) passes without its device ever polling.
                h.setClock(h.instant("2026-W40", weekday: 3, "08:00"))
                _ = try await h.dispatcher.dispatchDue(now: h.clock.now, logger: SpotCheckDispatchTests.logger)
                h.setClock(h.instant("2026-W40", weekday: 3, "09:00"))
                let rows = try await Self.results(client, token: h.admin)
                #expect(rows["T2"]?["status"] as? String == "conducted")
                #expect(rows["T2"]?["evidence"] as? String == "verified")
                #expect(rows["T3"]?["status"] as? String == "device_offline")
            }
        }
    }

    @Test("a machine whose camera was unplugged after the draw is device_fault; one that never streams is not_conducted")
    func faultAndNotConducted() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await SpotCheckDrawTests.fleet(client, h)
                let drawn = try await client.call(
                    .post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W40", "count": 5])
                #expect(drawn.status == .created)
                let unplugged = InventoryChange(
                    action: .remove, deviceKind: "camera", deviceID: "usb-cam-R3",
                    inventory: HardwareInventory(
                        microphones: [
                            AudioEndpoint(id: "mic-R3", card: 1, device: 0, name: "Mic", pcm: "hw:1,0", devnode: "/dev/snd/x")
                        ]))
                try await client.upload(
                    devices[1], now: h.clock.now, [AgentEvent(seq: 2, at: h.clock.now, body: .inventoryChange(unplugged))])
                for (device, time) in [
                    (devices[0], h.instant("2026-W40", weekday: 2, "10:00")),
                    (devices[1], h.instant("2026-W40", weekday: 3, "08:00")),
                ] {
                    h.setClock(time)
                    _ = try await h.dispatcher.dispatchDue(now: h.clock.now, logger: SpotCheckDispatchTests.logger)
                    let list = try await client.call(.get, AgentRoutes.commands, token: device.credential)
                    let ids = try list.decode(CommandList.self).commands.map(\.id)
                    #expect(ids.count == 1)
                    _ = try await client.send(
                        .post, AgentRoutes.commandsAck, token: device.credential, body: CommandAckRequest(ids: ids))
                }
                h.setClock(h.instant("2026-W40", weekday: 3, "09:00"))
                let rows = try await Self.results(client, token: h.admin)
                #expect(rows["T2"]?["status"] as? String == "not_conducted")
                #expect(rows["T3"]?["status"] as? String == "device_fault")
                #expect((rows["T3"]?["reason"] as? String)?.contains("no camera") == true)
                // A school admin sees its own school's results only.
                let s2 = try await client.token(.schoolAdmin, school: "S2", admin: h.admin)
                #expect(try await Self.results(client, token: s2).keys.sorted() == ["T3"])
            }
        }
    }

    @Test("forged evidence does not verify; a short stream is partial; excuse is audited")
    func forgedPartialExcused() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let (device, orderID) = try await SpotCheckDispatchTests.drawn(client, h)
                let start = h.instant("2026-W40", weekday: 2, "10:00")
                h.setClock(start)
                _ = try await h.dispatcher.dispatchDue(now: h.clock.now, logger: SpotCheckDispatchTests.logger)
                let command = try #require(
                    try await client.call(.get, AgentRoutes.commands, token: device.credential).decode(CommandList.self).commands
                        .first)
                let key = String(command.spotcheck!.ingestURL.split(separator: "/").last!)
                #expect(try await client.mediaHook("on_publish", key: key).status == .found)
                h.setClock(start + 10 * 60_000)
                _ = try await client.mediaHook("on_publish_done", key: key)
                let payload = SpotCheckEvidencePayload(
                    orderID: orderID, startedAt: start, endedAt: h.clock.now, frames: 1, bytesSent: 1, speechRatio: 0.9,
                    camera: nil, microphone: nil)
                let forged = try device.evidence(payload, key: Curve25519.Signing.PrivateKey())
                try await client.upload(device, now: h.clock.now, [AgentEvent(seq: 2, at: h.clock.now, body: .evidence(forged))])
                h.setClock(h.instant("2026-W40", weekday: 2, "11:00"))
                let rows = try await Self.results(client, token: h.admin)
                #expect(rows["T2"]?["status"] as? String == "partial")
                #expect(rows["T2"]?["evidence"] as? String == "bad_signature")
                #expect((rows["T2"]?["reason"] as? String)?.contains("25%") == true)

                let viewer = try await client.token(.bureauViewer, admin: h.admin)
                let refused = try await client.call(
                    .post, "/api/v1/spotcheck/orders/\(orderID)/excuse", token: viewer, json: ["reason": "x"])
                #expect(refused.status == .forbidden)
                let empty = try await client.call(
                    .post, "/api/v1/spotcheck/orders/\(orderID)/excuse", token: h.admin, json: ["reason": " "])
                #expect(empty.status == .badRequest)
                let unknown = try await client.call(
                    .post, "/api/v1/spotcheck/orders/nope/excuse", token: h.admin, json: ["reason": "停电"])
                #expect(unknown.status == .notFound)
                let excused = try await client.call(
                    .post, "/api/v1/spotcheck/orders/\(orderID)/excuse", token: h.admin, json: ["reason": "停电 power cut"])
                #expect(excused.status == .ok)
                let twice = try await client.call(
                    .post, "/api/v1/spotcheck/orders/\(orderID)/excuse", token: h.admin, json: ["reason": "again"])
                #expect(twice.status == .conflict)
                #expect(try await Self.results(client, token: h.admin)["T2"]?["status"] as? String == "excused")
                let audit = try await store.auditLog(schoolID: "S1", limit: 20)
                #expect(audit.contains { $0.action == "spotcheck.excuse" && $0.detail == "停电 power cut" })
            }
        }
    }
}
