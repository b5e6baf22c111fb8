import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Logging
import Testing

@Suite("Spot-check dispatch and media hooks")
struct SpotCheckDispatchTests {
    static let logger = Logger(label: "dispatch-test")

    /// Draws 2026-W40 and returns T2's order (R2, Tuesday 10:00–10:40) with the device of R2.
    static func drawn(_ client: some TestClientProtocol, _ h: SpotCheckHarness) async throws -> (TestDevice, String) {
        let devices = try await SpotCheckDrawTests.fleet(client, h)
        let answer = try await client.call(
            .post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W40", "count": 5, "beacon": "b"])
        guard answer.status == .created else { throw TestFailure("draw: \(answer.text)") }
        let orders = try await h.base.store.spotCheckOrders(week: "2026-W40", schoolID: "S1")
        guard let order = orders.first, order.teacherID == "T2" else { throw TestFailure("no order for T2: \(orders)") }
        return (devices[0], order.id)
    }

    @Test("at lesson start minus the lead time the order reaches the waiting long-poll at once", arguments: StoreKind.allCases)
    func dispatchWakesPoll(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application(maximumWait: 600).test(.live) { client in
                let (device, orderID) = try await Self.drawn(client, h)
                let start = h.instant("2026-W40", weekday: 2, "10:00")
                // Too early: nothing is due.
                h.setClock(start - 61_000)
                #expect(try await h.dispatcher.dispatchDue(now: h.clock.now, logger: Self.logger) == 0)
                async let polled = client.call(.get, AgentRoutes.commands + "?wait=600", token: device.credential)
                while h.base.notifier.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                h.setClock(start - 60_000)
                #expect(try await h.dispatcher.dispatchDue(now: h.clock.now, logger: Self.logger) == 1)
                let commands = try await polled.decode(CommandList.self).commands
                #expect(commands.count == 1)
                let payload = try #require(commands.first?.spotcheck)
                #expect(commands.first?.kind == .spotcheckStart)
                #expect(payload.orderID == orderID)
                #expect(payload.ingestURL.hasPrefix("rtmp://ingest.test/live/cfk_"))
                #expect(payload.lessonStart == start)
                #expect(payload.lessonEnd == h.instant("2026-W40", weekday: 2, "10:40"))
                #expect(payload.teacherName == "李娜")
                // Only once, and only the key's hash is stored.
                #expect(try await h.dispatcher.dispatchDue(now: h.clock.now, logger: Self.logger) == 0)
                let order = try #require(try await store.spotCheckOrder(id: orderID))
                #expect(order.deviceID == device.id && order.dispatchNote == "sent")
                let key = String(payload.ingestURL.split(separator: "/").last!)
                #expect(order.streamKeyHash == Secrets.hash(key))
            }
        }
    }

    @Test("the dispatch service sends due orders by itself")
    func serviceRuns() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application(maximumWait: 600).test(.live) { client in
                let (device, orderID) = try await Self.drawn(client, h)
                h.setClock(h.instant("2026-W40", weekday: 2, "09:59"))
                var configuration = h.configuration
                configuration.dispatchInterval = .milliseconds(20)
                let clock = h.clock
                let service = SpotCheckDispatchService(
                    dispatcher: SpotCheckDispatcher(
                        store: store, commands: CommandDispatcher(queue: store, notifier: h.base.notifier),
                        configuration: configuration),
                    logger: Self.logger, now: { clock.now })
                let running = Task { try await service.run() }
                let polled = try await client.call(.get, AgentRoutes.commands + "?wait=600", token: device.credential)
                running.cancel()
                try await running.value
                #expect(try polled.decode(CommandList.self).commands.first?.spotcheck?.orderID == orderID)
            }
        }
    }

    @Test("an order for a room without a device is marked no_device")
    func noDevice() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let (device, orderID) = try await Self.drawn(client, h)
                let revoked = try await client.call(.post, "/api/v1/devices/\(device.id)/revoke", token: h.admin)
                #expect(revoked.status == .noContent)
                h.setClock(h.instant("2026-W40", weekday: 2, "10:00"))
                _ = try await h.dispatcher.dispatchDue(now: h.clock.now, logger: Self.logger)
                #expect(try await store.spotCheckOrder(id: orderID)?.dispatchNote == "no_device")
            }
        }
    }

    @Test(
        "on_publish allows the order's key in its window once; refuses wrong, late and reused keys",
        arguments: StoreKind.allCases)
    func publishRules(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let (device, orderID) = try await Self.drawn(client, h)
                let start = h.instant("2026-W40", weekday: 2, "10:00")
                h.setClock(start - 60_000)
                _ = try await h.dispatcher.dispatchDue(now: h.clock.now, logger: Self.logger)
                let command = try await client.call(.get, AgentRoutes.commands, token: device.credential)
                let url = try #require(try command.decode(CommandList.self).commands.first?.spotcheck?.ingestURL)
                let key = String(url.split(separator: "/").last!)

                #expect(try await client.mediaHook("on_publish", key: key, secret: "wrong").status == .forbidden)
                #expect(try await client.mediaHook("on_publish", key: "cfk_forged").status == .forbidden)
                h.setClock(h.instant("2026-W40", weekday: 2, "10:46"))
                let late = try await client.mediaHook("on_publish", key: key)
                #expect(late.status == .forbidden)
                #expect(late.error?.message.contains("window") == true)
                h.setClock(start + 30_000)
                // Allowed: renamed to the order's public name, so HLS and recordings never carry the key.
                let allowed = try await client.mediaHook("on_publish", key: key)
                #expect(allowed.status == .found)
                #expect(allowed.headers[.location] == "lesson-\(orderID)")
                let replay = try await client.mediaHook("on_publish", key: key)
                #expect(replay.status == .forbidden)
                #expect(replay.error?.message.contains("used") == true)
                h.setClock(h.instant("2026-W40", weekday: 2, "10:40"))
                #expect(try await client.mediaHook("on_publish_done", key: key).status == .ok)
                let order = try #require(try await store.spotCheckOrder(id: orderID))
                #expect(order.publishStartedAt == start + 30_000)
                #expect(order.publishEndedAt == h.instant("2026-W40", weekday: 2, "10:40"))
                #expect(order.publishAddr == "127.0.0.1")
            }
        }
    }

    @Test("hooks are refused when no secret is configured")
    func hooksDisabled() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let answer = try await client.mediaHook("on_publish", key: "cfk_x", secret: "")
                #expect(answer.status == .forbidden)
                #expect(answer.error?.message.contains("disabled") == true)
            }
        }
    }
}
