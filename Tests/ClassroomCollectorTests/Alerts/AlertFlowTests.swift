import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import ClassroomCollector

/// Evaluation and delivery together, against the real store, router and a fake WeCom robot on
/// loopback: an offline device raises one message and, back for good, one close — however often it
/// flaps between; heartbeats ingested through the API raise the backlog alert; a hanging webhook
/// never holds up ingest or evaluation.
@Suite("Alert flow")
struct AlertFlowTests {
    static let hour: Int64 = 3_600_000
    static let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)

    static func configuration(webhook: String) -> AlertConfiguration {
        var c = AlertConfiguration()
        c.thresholds.offlineSeconds = 3600
        c.thresholds.closeAfterSeconds = 6 * 3600
        c.wecomWebhook = webhook
        c.sendTimeout = .seconds(60)
        return c
    }

    static func heartbeats(_ depths: [(seq: Int64, at: Int64, depth: Int)], sentAt: Int64) -> EventBatch {
        EventBatch(
            sentAt: sentAt,
            events: depths.map {
                AgentEvent(
                    seq: $0.seq, at: $0.at,
                    body: .heartbeat(
                        Heartbeat(agentVersion: "0.1.0", uptimeSeconds: 1, queueDepth: $0.depth, droppedUsageTotal: 0)))
            })
    }

    @Test("raised once, closed once: an agent flapping on and off 40 times sends two messages", arguments: StoreKind.allCases)
    func flappingDevice(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            let fake = FakeWeComServer()
            try await fake.run { url in
                let configuration = Self.configuration(webhook: url)
                let evaluation = AlertEvaluation(
                    store: store, configuration: configuration, zone: Self.zone, logger: Logger(label: "t"))
                let delivery = try AlertDeliveryTests.delivery(store, configuration)
                let device = try await h.application().test(.router) { client in
                    try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                }
                var now = h.clock.now
                try await store.markSeen(deviceID: device.deviceID, at: now, clockSkewMillis: nil)
                now += 2 * Self.hour
                let first = try await evaluation.run(now: now)
                #expect(first.opened.map(\.key) == ["agent_offline:device:\(device.deviceID)"])
                try await delivery.deliverDue(now: { [now] in now })
                // Flapping: seen, then silent for 70 minutes, forty times over.
                for _ in 0..<40 {
                    try await store.markSeen(deviceID: device.deviceID, at: now, clockSkewMillis: nil)
                    #expect(try await evaluation.run(now: now) == AlertPlanOutcome())
                    now += 70 * 60_000
                    #expect(try await evaluation.run(now: now) == AlertPlanOutcome())
                    try await delivery.deliverDue(now: { [now] in now })
                }
                #expect(try await store.alerts(AlertQuery(state: .all)).count == 1)
                // Steady: seen every half hour for seven hours; the alert closes once, after six.
                var closes = 0
                for _ in 0..<14 {
                    now += Self.hour / 2
                    try await store.markSeen(deviceID: device.deviceID, at: now, clockSkewMillis: nil)
                    closes += try await evaluation.run(now: now).closed.count
                    try await delivery.deliverDue(now: { [now] in now })
                }
                #expect(closes == 1)
                let all = try await store.alerts(AlertQuery(state: .all))
                #expect(all.count == 1 && all[0].closedAt != nil)
            }
            #expect(fake.count == 2)
            #expect(fake.contents.first?.contains("【设备告警】终端离线超过阈值") == true)
            #expect(fake.contents.last?.contains("【告警解除】终端离线超过阈值") == true)
        }
    }

    @Test(
        "heartbeats ingested through the API with a growing queue raise the backlog alert; a recording room without camera its own"
    )
    func backlogFromIngest() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
                let now = h.clock.now
                var beats: [(seq: Int64, at: Int64, depth: Int)] = []
                for i in 0..<46 {
                    let at: Int64 = now - Int64(45 - i) * 60_000
                    beats.append((seq: Int64(i + 1), at: at, depth: 100 + i * 20))
                }
                let sent = try await client.send(
                    .post, AgentRoutes.events, token: device.credential, body: Self.heartbeats(beats, sentAt: now))
                #expect(sent.status == .ok, "\(sent.text)")
                let inventory = HardwareInventory.empty
                let snapshot = EventBatch(
                    sentAt: now, events: [AgentEvent(seq: 47, at: now, body: .inventorySnapshot(inventory))])
                #expect(try await client.send(.post, AgentRoutes.events, token: device.credential, body: snapshot).status == .ok)
                var c = AlertConfiguration()
                c.thresholds.backlogMinimum = 900
                let evaluation = AlertEvaluation(store: store, configuration: c, zone: Self.zone, logger: Logger(label: "t"))
                let opened = try await evaluation.run(now: now).opened
                #expect(
                    opened.map(\.key).sorted() == [
                        "outbox_backlog:device:\(device.deviceID)", "recording_room_no_camera:room:R2",
                        "recording_room_no_microphone:room:R2",
                    ])
                let backlog = try #require(opened.first { $0.kind == .outboxBacklog })
                #expect(backlog.detail == "outbox queue growing over 3 heartbeats: 400 → 700 → 1000", "\(backlog.detail)")
            }
        }
    }

    @Test("a hanging webhook holds neither ingest nor evaluation; the message goes out once it answers")
    func hangingWebhook() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            let fake = FakeWeComServer(script: [.hang])
            try await fake.run { url in
                let configuration = Self.configuration(webhook: url)
                let evaluation = AlertEvaluation(
                    store: store, configuration: configuration, zone: Self.zone, logger: Logger(label: "t"))
                let delivery = try AlertDeliveryTests.delivery(store, configuration)
                try await h.application().test(.router) { client in
                    let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                    let later = h.clock.now + 2 * Self.hour
                    #expect(try await evaluation.run(now: later).opened.count == 1)
                    let finished = Mutex(false)
                    let sending = Task {
                        let n = try await delivery.deliverDue(now: { later })
                        finished.withLock { $0 = true }
                        return n
                    }
                    while fake.count == 0 { try await Task.sleep(for: .milliseconds(20)) }
                    // The webhook holds the request: ingest answers and the next evaluation runs meanwhile.
                    let beat = Self.heartbeats([(seq: 1, at: h.clock.now, depth: 0)], sentAt: h.clock.now)
                    let answer = try await client.send(.post, AgentRoutes.events, token: device.credential, body: beat)
                    #expect(answer.status == .ok)
                    #expect(try await store.highestEventSeq(deviceID: device.deviceID) == 1)
                    _ = try await evaluation.run(now: later + 60_000)
                    #expect(!finished.withLock { $0 }, "the delivery should still be waiting for the webhook")
                    fake.release()
                    #expect(try await sending.value == 1)
                }
            }
            #expect(fake.count == 1)
        }
    }
}
