import ClassroomCollector
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

@Suite("Long-poll of commands")
struct LongPollTests {
    @Test("a command enqueued while the agent waits reaches it at once", arguments: StoreKind.allCases)
    func wakesOnEnqueue(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            // The wait is far longer than the test may take: only the wake-up can end it in time.
            // (.router: requests run concurrently; the live test client has one connection.)
            try await h.application(maximumWait: 600).test(.router) { client in
                let device = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
                async let polled = client.call(.get, AgentRoutes.commands + "?wait=600", token: device.credential)
                while h.notifier.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                let queued = try await client.call(
                    .post, "/api/v1/devices/\(device.deviceID)/commands", token: h.adminToken, json: ["kind": "chime"])
                #expect(queued.status == .created)
                let command = try queued.decode(AgentCommand.self)
                let answer = try await polled
                #expect(answer.status == .ok)
                #expect(try answer.decode(CommandList.self).commands == [command])
                // Still pending until acknowledged, then gone.
                let now = try await client.call(.get, AgentRoutes.commands, token: device.credential)
                #expect(try now.decode(CommandList.self).commands.map(\.id) == [command.id])
                let ack = try await client.send(
                    .post, AgentRoutes.commandsAck, token: device.credential, body: CommandAckRequest(ids: [command.id]))
                #expect(ack.json["acknowledged"] as? Int == 1)
                let after = try await client.call(.get, AgentRoutes.commands, token: device.credential)
                #expect(try after.decode(CommandList.self).commands.isEmpty)
            }
        }
    }

    @Test("a wait ends with an empty list at the timeout; bad wait values are 400")
    func emptyAtTimeout() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let answer = try await client.call(.get, AgentRoutes.commands + "?wait=1", token: device.credential)
                #expect(answer.status == .ok)
                #expect(try answer.decode(CommandList.self).commands.isEmpty)
                #expect(h.notifier.waiting == 0)
                for bad in ["-1", "abc", "1.5"] {
                    let refused = try await client.call(.get, AgentRoutes.commands + "?wait=\(bad)", token: device.credential)
                    #expect(refused.status == .badRequest)
                    #expect(refused.error?.message.contains("wait") == true)
                }
            }
        }
    }

    @Test("shutdown ends every wait and refuses new ones")
    func shutdownEndsWaits() async throws {
        let notifier = CommandNotifier()
        let waiter = notifier.register(deviceID: "d1")
        async let ended = waiter.wait(timeout: .seconds(600))
        while notifier.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
        notifier.shutdown()
        #expect(await ended == nil)
        #expect(notifier.waiting == 0)
        let late = notifier.register(deviceID: "d1")
        await late.wait(timeout: .seconds(600))
        #expect(notifier.waiting == 0)
    }

    @Test("a notification for another device does not wake a waiter")
    func otherDeviceDoesNotWake() async throws {
        let notifier = CommandNotifier()
        let waiter = notifier.register(deviceID: "d1")
        notifier.notify(deviceID: "d2")
        #expect(notifier.waiting == 1)
        notifier.notify(deviceID: "d1")
        await waiter.wait(timeout: .seconds(600))
        #expect(notifier.waiting == 0)
    }
}
