import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Logging
import Testing

/// A self-test order end to end through the collector's routes: dispatched with a single-use key to
/// the `selftest` application, proven by the media server's `on_publish` / `on_publish_done`, it makes
/// the recording room verified (basis: self-test) and never shows up as a spot-check or a lesson.
@Suite("Self-test proof")
struct SelfTestProofTests {
    static func coverage(_ client: some TestClientProtocol, _ h: SpotCheckHarness, day: LocalDate) async throws -> [String: Any] {
        let answer = try await client.call(.get, "/api/v1/coverage?profile=luxi-2025&at=\(day)", token: h.admin)
        guard answer.status == .ok else { throw TestFailure("coverage: \(answer.text)") }
        return answer.json
    }

    static func basis(_ json: [String: Any], school: String? = nil) -> [String: Int]? {
        let holder =
            school.map { id in (json["schools"] as? [[String: Any]])?.first { $0["school_id"] as? String == id } } ?? json
        return holder?["recording_basis"] as? [String: Int]
    }

    @Test("on_publish and on_publish_done of a self-test verify the recording room", arguments: StoreKind.allCases)
    func proof(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                h.setClock(h.instant("2026-W41", weekday: 1, "07:00"))
                let device = try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now)
                let scheduler = SelfTestScheduler(
                    store: store, spotcheck: h.configuration, configuration: SelfTestConfiguration())
                let order = try #require(try await scheduler.tick(now: h.clock.now, logger: SelfTestSchedulerTests.logger).first)
                let day = SelfTestSchedulerTests.local(h, order.lessonStart).date

                // Camera and microphone, no stream yet: equipped, not verified.
                let before = try await Self.coverage(client, h, day: day)
                #expect(
                    Self.basis(before, school: "S1") == [
                        "rooms": 1, "verified": 0, "verified_by_spotcheck": 0, "verified_by_selftest": 0, "equipped_no_stream": 1,
                        "no_equipment": 0,
                    ])

                h.setClock(order.lessonStart - 60_000)
                #expect(try await h.dispatcher.dispatchDue(now: h.clock.now, logger: SelfTestSchedulerTests.logger) == 1)
                let list = try await client.call(.get, AgentRoutes.commands, token: device.credential).decode(CommandList.self)
                let command = try #require(list.commands.first)
                let payload = try #require(command.spotcheck)
                #expect(payload.orderID == order.id && payload.isSelfTest)
                #expect(payload.ingestURL.hasPrefix("rtmp://ingest.test/selftest/cfk_"))
                #expect(payload.lessonEnd - payload.lessonStart == 60_000)
                let key = String(payload.ingestURL.split(separator: "/").last!)
                h.setClock(order.lessonStart - 30_000)
                #expect(try await client.mediaHook("on_publish", key: key).status == .found)
                // Single use.
                #expect(try await client.mediaHook("on_publish", key: key).status == .forbidden)
                h.setClock(order.lessonEnd + 2_000)
                #expect(try await client.mediaHook("on_publish_done", key: "lesson-\(order.id)").status == .ok)
                let stored = try #require(try await store.spotCheckOrder(id: order.id))
                #expect(stored.publishStartedAt == order.lessonStart - 30_000 && stored.publishEndedAt == order.lessonEnd + 2_000)

                let after = try await Self.coverage(client, h, day: day)
                #expect(
                    Self.basis(after, school: "S1") == [
                        "rooms": 1, "verified": 1, "verified_by_spotcheck": 0, "verified_by_selftest": 1, "equipped_no_stream": 0,
                        "no_equipment": 0,
                    ])
                #expect(Self.basis(after)?["verified_by_selftest"] == 1)
                let s1 = (after["schools"] as? [[String: Any]])?.first { $0["school_id"] as? String == "S1" }
                let recording = (s1?["indicators"] as? [[String: Any]] ?? []).filter {
                    $0["key"] as? String == "recording_classrooms"
                }
                #expect(recording.reduce(0.0) { $0 + ($1["numerator"] as? Double ?? 0) } == 1)

                // Never a spot-check: not in the week, its results or its hidden count; no lesson to watch.
                let week = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W41", token: h.admin)
                #expect((week.json["orders"] as? [Any])?.isEmpty == true && week.json["hidden"] as? Int == 0, "\(week.text)")
                let results = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W41/results", token: h.admin)
                #expect((results.json["results"] as? [Any])?.isEmpty == true && results.json["hidden"] as? Int == 0)
                #expect(!results.text.contains(order.id) && !week.text.contains(order.id))
                let evaluations = try await client.call(.get, "/api/v1/lessons/\(order.id)/evaluations", token: h.admin)
                #expect(evaluations.status == .notFound)
                let audit = try await store.auditLog(schoolID: "S1", limit: 20)
                #expect(audit.contains { $0.action == "selftest.dispatch" && $0.target == "spotcheck_order:\(order.id)" })
            }
        }
    }

    @Test("a self-test streamed outside its window proves nothing")
    func lateKeyRefused() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                h.setClock(h.instant("2026-W41", weekday: 1, "07:00"))
                let device = try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now)
                let scheduler = SelfTestScheduler(
                    store: store, spotcheck: h.configuration, configuration: SelfTestConfiguration())
                let order = try #require(try await scheduler.tick(now: h.clock.now, logger: SelfTestSchedulerTests.logger).first)
                h.setClock(order.lessonStart - 60_000)
                _ = try await h.dispatcher.dispatchDue(now: h.clock.now, logger: SelfTestSchedulerTests.logger)
                let list = try await client.call(.get, AgentRoutes.commands, token: device.credential).decode(CommandList.self)
                let key = String(try #require(list.commands.first?.spotcheck).ingestURL.split(separator: "/").last!)
                // After the window and its grace (300 s) the key is refused and the room stays unverified.
                h.setClock(order.lessonEnd + 301_000)
                #expect(try await client.mediaHook("on_publish", key: key).status == .forbidden)
                let day = SelfTestSchedulerTests.local(h, order.lessonStart).date
                #expect(Self.basis(try await Self.coverage(client, h, day: day), school: "S1")?["equipped_no_stream"] == 1)
            }
        }
    }
}
