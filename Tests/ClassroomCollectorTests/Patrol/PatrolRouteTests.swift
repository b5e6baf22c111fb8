import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Logging
import Testing

@testable import ClassroomCollector

/// `POST /api/v1/patrol` and the patrol stopper through the real router, on SQLite, with the test
/// clock: who may open which room, every refusal with its reason, joining an open patrol, the
/// spot-check winning, and the stop after the last viewer left (driven through the view log).
///
/// Test registry: R1 (S1) Monday 08:00–08:40, R2 (S1) Tuesday 10:00–10:40, R3 (S2) Wednesday
/// 08:00–08:40; devices in R2 and R3 with camera and microphone, in R1 without a camera.
@Suite("Patrol routes")
struct PatrolRouteTests {
    static func open(_ client: some TestClientProtocol, _ room: String, token: String) async throws -> Answer {
        try await client.call(.post, "/api/v1/patrol", token: token, json: ["room_id": room])
    }

    static func commands(_ client: some TestClientProtocol, _ device: TestDevice) async throws -> [AgentCommand] {
        try await client.call(.get, AgentRoutes.commands + "?wait=0", token: device.credential).decode(CommandList.self)
            .commands
    }

    static func stopper(_ h: SpotCheckHarness) -> PatrolStopper {
        PatrolStopper(
            store: h.base.store, commands: CommandDispatcher(queue: h.base.store, notifier: h.base.notifier),
            spotcheck: h.configuration, configuration: PatrolConfiguration())
    }

    static let logger = Logger(label: "patrol-test")

    @Test("a principal opens a room in its lesson, an observer joins it, the stream stops after the last viewer left")
    func openJoinAndStop() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await SpotCheckDrawTests.fleet(client, h)
                let principal = try await client.token(.schoolAdmin, school: "S1", admin: h.admin)
                let observer = try await client.token(.observer, admin: h.admin)
                let viewer = try await client.token(.bureauViewer, admin: h.admin)
                h.setClock(h.instant("2026-W40", weekday: 2, "10:10"))
                let t0 = h.clock.now
                for d in devices { try await store.markSeen(deviceID: d.id, at: t0, clockSkewMillis: nil) }

                let opened = try await Self.open(client, "R2", token: principal)
                #expect(opened.status == .created, "\(opened.text)")
                let order = try #require(opened.json["order"] as? [String: Any])
                let id = try #require(order["id"] as? String)
                #expect(id.hasPrefix("patrol-") && order["source"] as? String == "patrol")
                #expect(order["teacher_id"] as? String == "T2" && order["subject"] as? String == "英语")
                #expect(order["lesson_start"] as? Int == Int(h.instant("2026-W40", weekday: 2, "10:00")))
                #expect(order["lesson_end"] as? Int == Int(h.instant("2026-W40", weekday: 2, "10:40")))
                #expect(order["dispatch"] as? String == "sent" && order["device_id"] as? String == devices[0].id)
                #expect(opened.json["watch_url"] as? String == "/lessons/\(id)" && opened.json["joined"] as? Bool == false)

                let start = try #require(try await Self.commands(client, devices[0]).first)
                #expect(start.kind == .spotcheckStart && start.spotcheck?.orderID == id)
                #expect(start.spotcheck?.purpose == .patrol)
                #expect(start.spotcheck?.ingestURL.hasPrefix("rtmp://ingest.test/patrol/cfk_") == true, "\(start)")
                #expect(start.spotcheck?.teacherName == "李娜")

                h.clock.advance(seconds: 5)
                let joined = try await Self.open(client, "R2", token: observer)
                #expect(joined.status == .ok, "\(joined.text)")
                #expect(
                    (joined.json["order"] as? [String: Any])?["id"] as? String == id && joined.json["joined"] as? Bool == true)
                #expect(try await Self.commands(client, devices[0]).count == 1, "joining sends no second stream")

                #expect(try await Self.open(client, "R3", token: principal).status == .forbidden, "another school's room")
                #expect(try await Self.open(client, "R2", token: viewer).status == .forbidden, "bureau viewers never see video")
                #expect(try await Self.open(client, "R9", token: observer).status == .notFound)
                #expect(try await Self.open(client, "", token: observer).status == .badRequest)
                let outside = try await Self.open(client, "R1", token: principal)
                #expect(outside.status == .unprocessableContent && outside.error?.error == "not_in_lesson", "\(outside.text)")
                #expect(outside.error?.message.contains("R1") == true)

                let list = try await client.call(.get, "/api/v1/patrol", token: principal)
                let rooms = try #require(list.json["rooms"] as? [[String: Any]])
                #expect(rooms.map { $0["room_id"] as? String } == ["R2"], "only rooms in a lesson now, own school")
                #expect(rooms.first?["open_patrol"] as? String == id && rooms.first?["refusal"] == nil)

                // The principal's player keeps asking (the view log); the observer went away at once.
                let stopper = Self.stopper(h)
                h.setClock(t0 + 25_000)
                try await PatrolTestViews.touch(store, principal: "S1", order: id, at: h.clock.now)
                h.setClock(t0 + 50_000)
                #expect(try await stopper.check(now: h.clock.now, logger: Self.logger).isEmpty, "start-up grace")
                try await PatrolTestViews.touch(store, principal: "S1", order: id, at: h.clock.now)
                h.setClock(t0 + 75_000)
                #expect(try await stopper.check(now: h.clock.now, logger: Self.logger).isEmpty, "a viewer is still there")
                h.setClock(t0 + 81_000)
                let ended = try await stopper.check(now: h.clock.now, logger: Self.logger)
                #expect(ended == [id: .noViewers])
                let stop = try #require(try await Self.commands(client, devices[0]).last)
                #expect(stop.kind == .spotcheckStop && stop.orderID == id)
                let patrol = try #require(try await store.patrol(orderID: id))
                #expect(patrol.endedAt == t0 + 81_000 && patrol.endReason == .noViewers && patrol.openedBy.hasPrefix("token:"))
                #expect(try await stopper.check(now: h.clock.now, logger: Self.logger).isEmpty, "ended once")

                let views = try await client.call(.get, "/api/v1/patrol/views", token: principal)
                let logged = try #require(views.json["views"] as? [[String: Any]])
                #expect(logged.count == 2 && logged.allSatisfy { $0["order_id"] as? String == id }, "\(views.text)")
                #expect(Set(logged.compactMap { $0["viewer_role"] as? String }) == ["school_admin", "observer"])
                let mine = try #require(logged.first { $0["viewer_role"] as? String == "school_admin" })
                #expect(mine["started_at"] as? Int == Int(t0) && mine["last_seen_at"] as? Int == Int(t0 + 50_000))
                let audit = try await store.auditLog(schoolID: "S1", limit: 50).map(\.action)
                for action in ["patrol.open", "patrol.dispatch", "lesson.view", "patrol.stop", "patrol.end"] {
                    #expect(audit.contains(action), "\(action) in \(audit)")
                }

                // After the end, opening the room again starts a new patrol.
                let again = try await Self.open(client, "R2", token: observer)
                #expect(again.status == .created)
                #expect((again.json["order"] as? [String: Any])?["id"] as? String != id)
                // The spot-check week listing does not show patrols.
                let week = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40", token: h.admin)
                #expect((week.json["orders"] as? [[String: Any]])?.isEmpty == true, "\(week.text)")
            }
        }
    }

    @Test("refusals: no camera, device offline, no device, and the spot-check wins over a patrol")
    func refusals() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await SpotCheckDrawTests.fleet(client, h)
                let observer = try await client.token(.observer, admin: h.admin)
                // Monday 08:10: R1's lesson; its device reports no camera.
                h.setClock(h.instant("2026-W40", weekday: 1, "08:10"))
                try await store.markSeen(deviceID: devices[2].id, at: h.clock.now, clockSkewMillis: nil)
                let noCamera = try await Self.open(client, "R1", token: observer)
                #expect(noCamera.error?.error == "no_camera" && noCamera.status == .unprocessableContent, "\(noCamera.text)")
                let list = try await client.call(.get, "/api/v1/patrol", token: observer)
                let row = try #require((list.json["rooms"] as? [[String: Any]])?.first)
                #expect(row["room_id"] as? String == "R1" && row["refusal"] as? String == "no_camera")
                #expect(row["online"] as? Bool == true && row["teacher_name"] as? String == "张伟")
                #expect(try await store.revokeDevice(id: devices[2].id, at: h.clock.now, audit: PatrolTestViews.audit))
                let noDevice = try await Self.open(client, "R1", token: observer)
                #expect(noDevice.error?.error == "no_device", "\(noDevice.text)")

                // Wednesday 08:10: R3's lesson; its device was last heard from at enrollment.
                h.setClock(h.instant("2026-W40", weekday: 3, "08:10"))
                let offline = try await Self.open(client, "R3", token: observer)
                #expect(offline.error?.error == "device_offline", "\(offline.text)")
                try await store.markSeen(deviceID: devices[1].id, at: h.clock.now, clockSkewMillis: nil)
                let patrol = try await Self.open(client, "R3", token: observer)
                #expect(patrol.status == .created, "\(patrol.text)")
                let patrolID = try #require((patrol.json["order"] as? [String: Any])?["id"] as? String)

                // A spot-check of R3 now: the patrol ends, and no new patrol opens while it runs.
                let spot = try await client.call(.post, "/api/v1/spotcheck/now", token: h.admin, json: ["school_id": "S2"])
                #expect(spot.status == .created, "\(spot.text)")
                #expect(spot.json["room_id"] as? String == "R3")
                let ended = try await Self.stopper(h).check(now: h.clock.now, logger: Self.logger)
                #expect(ended == [patrolID: .spotCheck])
                let refused = try await Self.open(client, "R3", token: observer)
                #expect(refused.error?.error == "spotcheck_active", "\(refused.text)")
                #expect(refused.error?.message.contains("the spot-check wins") == true)
                let kinds = try await Self.commands(client, devices[1]).map { $0.spotcheck?.purpose?.rawValue ?? "spotcheck" }
                #expect(kinds.sorted() == ["patrol", "spotcheck"], "both starts, no stop: the agent yields to the spot-check")
            }
        }
    }

    @Test("a patrol open at lesson end is ended as lesson_over without a stop")
    func lessonOver() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await SpotCheckDrawTests.fleet(client, h)
                let observer = try await client.token(.observer, admin: h.admin)
                h.setClock(h.instant("2026-W40", weekday: 2, "10:39"))
                try await store.markSeen(deviceID: devices[0].id, at: h.clock.now, clockSkewMillis: nil)
                let opened = try await Self.open(client, "R2", token: observer)
                let id = try #require((opened.json["order"] as? [String: Any])?["id"] as? String)
                h.setClock(h.instant("2026-W40", weekday: 2, "10:40"))
                let ended = try await Self.stopper(h).check(now: h.clock.now, logger: Self.logger)
                #expect(ended == [id: .lessonOver])
                #expect(try await Self.commands(client, devices[0]).map(\.kind) == [.spotcheckStart])
                #expect(try await store.patrol(orderID: id)?.endedAt == h.instant("2026-W40", weekday: 2, "10:40"))
                let late = try await Self.open(client, "R2", token: observer)
                #expect(late.error?.error == "not_in_lesson")
            }
        }
    }
}

/// View-log helpers for the patrol tests.
enum PatrolTestViews {
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "test", schoolID: nil, detail: "")

    /// A principal's HLS request for `order` (what the media authorization route records).
    static func touch(_ store: any CollectorStore, principal school: String, order: String, at: Int64) async throws {
        let views = try await store.lessonViews(orderID: order)
        let mine = try #require(views.first { $0.start.viewerRole == .schoolAdmin })
        _ = try await store.touchLessonView(mine.start, at: at, idleMillis: 30_000, audit: audit)
    }
}
