import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

/// `GET /api/v1/coverage` on the verified basis, from evidence posted through the real agent API.
///
/// The harness clock starts on Monday 2026-09-21 22:13 (Asia/Shanghai). R2's agent reports then and
/// goes silent; ten days later (Thursday 2026-10-01) R1's agent reports a display and a touchscreen and
/// one active minute in Monday 2026-09-28's 08:00–08:40 lesson. R3 has no agent.
@Suite("Coverage API")
struct CoverageRouteTests {
    static let lessonMinute: Int64 = 1_790_553_620_000  // 2026-09-28 08:00:20 +08:00
    static let afterLessons: Int64 = 1_790_568_000_000  // 2026-09-28 12:00 +08:00, no lesson

    static func inventory(touch: Bool, camera: Bool = false) -> HardwareInventory {
        var inv = HardwareInventory()
        inv.displays = [Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On")]
        if touch { inv.touchscreens = [Touchscreen(id: "usb-touch", name: "Touch panel", devnode: "/dev/input/event4")] }
        if camera {
            inv.cameras = [
                Camera(id: "usb-cam", name: "Cam", devnode: "/dev/video0", vendorID: "046d", modelID: "0825", bus: "usb")
            ]
            inv.microphones = [
                AudioEndpoint(id: "usb-mic", card: 1, device: 0, name: "Mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")
            ]
        }
        return inv
    }

    static func minute(_ start: Int64, active: Bool) -> AgentEventBody {
        .usageMinute(
            UsageMinute(
                minuteStart: start, displayOn: true, touchEvents: active ? 12 : 0, speechSeconds: 0, meanDBFS: nil,
                peakDBFS: nil, clippingRatio: 0, devicesPresent: DevicesPresent(touchscreens: 1, displays: 1)))
    }

    /// Posts the scenario; returns the S1 school admin's token.
    static func scenario(_ h: CollectorHarness, _ client: some TestClientProtocol) async throws -> String {
        let silent = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
        let t0 = h.clock.now
        let early = try await client.send(
            .post, AgentRoutes.events, token: silent.credential,
            body: EventBatch(
                sentAt: t0, events: [AgentEvent(seq: 1, at: t0, body: .inventorySnapshot(inventory(touch: true, camera: true)))]))
        #expect(early.status == .ok)
        h.clock.advance(seconds: 10 * 86_400)
        let live = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
        // This agent's clock is 60 s slow: its lesson minute reads 07:59:20 and only the collector's
        // skew correction puts it inside the 08:00 lesson.
        let slow: Int64 = 60_000
        let now = h.clock.now
        let batch = EventBatch(
            sentAt: now - slow,
            events: [
                AgentEvent(seq: 1, at: lessonMinute - slow, body: minute(lessonMinute - slow, active: true)),
                AgentEvent(seq: 2, at: afterLessons - slow, body: minute(afterLessons - slow, active: true)),
                AgentEvent(seq: 3, at: now - slow - 1000, body: .inventorySnapshot(inventory(touch: false))),
                AgentEvent(
                    seq: 4, at: now - slow,
                    body: .inventoryChange(
                        InventoryChange(
                            action: .add, deviceKind: "touchscreen", deviceID: "usb-touch", inventory: inventory(touch: true)))),
            ])
        let posted = try await client.send(.post, AgentRoutes.events, token: live.credential, body: batch)
        #expect(posted.status == .ok, "\(posted.text)")
        return try await client.token(.schoolAdmin, school: "S1", admin: h.adminToken)
    }

    static func indicator(_ json: [String: Any], school: String?, _ key: String, _ stage: String) -> [String: Any]? {
        let list: [[String: Any]]?
        if let school {
            let schools = json["schools"] as? [[String: Any]] ?? []
            list = schools.first { $0["school_id"] as? String == school }?["indicators"] as? [[String: Any]]
        } else {
            list = (json["county"] as? [String: Any])?["indicators"] as? [[String: Any]]
        }
        return list?.first { $0["key"] as? String == key && $0["stage"] as? String == stage }
    }

    @Test("verified figures from agents: smart blackboard, silent agent, usage in lessons, declared differences")
    func verified() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await Self.scenario(h, client)
                let answer = try await client.call(
                    .get, "/api/v1/coverage?profile=national-quality-balance&at=2026-10-01", token: h.adminToken)
                #expect(answer.status == .ok, "\(answer.text)")
                let json = answer.json
                #expect(json["basis"] as? String == "verified")
                #expect(json["scope"] == nil)
                // R1: the latest inventory (after the hotplug change) has display + touch.
                let sb = try #require(Self.indicator(json, school: "S1", "smart_blackboard_class_coverage", "primary"))
                #expect(sb["numerator"] as? Double == 1)
                #expect(sb["denominator"] as? Double == 6)
                // Usage: the one lesson period of R1 in the window had an active (skew-corrected) minute;
                // the minute at 12:00 is outside every lesson and adds nothing.
                let usage = try #require(Self.indicator(json, school: "S1", "usage_rate", "primary"))
                #expect(usage["numerator"] as? Double == 1)
                #expect(usage["denominator"] as? Double == 1)
                // Network access: S1 has an online agent, S2 none; R2's agent is silent beyond the window.
                #expect(Self.indicator(json, school: "S1", "network_access", "all")?["numerator"] as? Double == 1)
                #expect(Self.indicator(json, school: "S2", "network_access", "all")?["numerator"] as? Double == 0)
                // Multimedia: verified R1 (display, online); declared R2 (display + network, shared) — they differ.
                let mm = try #require(Self.indicator(json, school: "S1", "multimedia_classrooms_per_100_students", "primary"))
                #expect(mm["differs_from_declared"] as? Bool == true)
                #expect(mm["numerator"] as? Double == 1)
                // Recording classrooms are measured from the media server's publish records: none here.
                let rec = try #require(Self.indicator(json, school: "S1", "recording_classrooms", "primary"))
                #expect(rec["value"] as? Double == 0)
                #expect(json["not_measured"] == nil)
                #expect(!(Self.indicator(json, school: nil, "smart_blackboard_class_coverage", "primary")?.isEmpty ?? true))
            }
        }
    }

    @Test("the same evidence a day later than the window's reach counts for nothing")
    func windowEnds() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await Self.scenario(h, client)
                // R2's agent (seen 2026-09-21) is inside a window ending 2026-09-22; R1's is in the future.
                let past = try await client.call(
                    .get, "/api/v1/coverage?profile=national-quality-balance&at=2026-09-22", token: h.adminToken)
                #expect(past.status == .ok, "\(past.text)")
                #expect(Self.indicator(past.json, school: "S1", "network_access", "all")?["numerator"] as? Double == 1)
                #expect(
                    Self.indicator(past.json, school: "S1", "smart_blackboard_class_coverage", "primary")?["numerator"] as? Double
                        == 0)
                let later = try await client.call(
                    .get, "/api/v1/coverage?profile=national-quality-balance&at=2026-10-20", token: h.adminToken)
                #expect(Self.indicator(later.json, school: "S1", "network_access", "all")?["numerator"] as? Double == 0)
            }
        }
    }
}
