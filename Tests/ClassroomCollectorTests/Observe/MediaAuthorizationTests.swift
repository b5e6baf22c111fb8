import ClassroomCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// `GET /console/media/authorize` (nginx's auth_request for the HLS) and the watch page
/// `/lessons/{id}` on the real router and store, without nginx: who gets 204/401/403, bad paths,
/// and the view log it writes.
@Suite("Live viewing: media authorization and the watch page")
struct MediaAuthorizationTests {
    static let audit = ConsolePagesRouteTests.audit

    /// Orders: `now-s1` (S1, streaming), `now-s2` (S2, streaming), `patrol-1` (S1, a patrol,
    /// streaming), `now-wait` (S1, not streaming yet).
    static func orders(_ store: any CollectorStore, now t: Int64) async throws {
        for (id, school, room, source, started) in [
            ("now-s1", "S1", "R2", "now", true), ("now-s2", "S2", "R3", "now", true), ("patrol-1", "S1", "R1", "patrol", true),
            ("now-wait", "S1", "R2", "now", false),
        ] {
            try await store.insertSpotCheckOrder(
                SpotCheckOrderRecord(
                    id: id, week: "2026-W48", source: source, position: 0, round: 0, teacherID: "T-\(id)",
                    teacherName: "教师\(id)", schoolID: school, roomID: room, weekday: 1, startMinute: 480, endMinute: 520,
                    subject: "语文", lessonStart: t - 600_000, lessonEnd: t + 1_800_000, createdAt: t - 600_000), audit: audit)
            if started { #expect(try await store.startSpotCheckPublish(orderID: id, at: t - 500_000, addr: "10.0.0.9")) }
        }
    }

    static func authorize(_ client: some TestClientProtocol, _ uri: String?, cookie: String?) async throws -> HTTPResponse.Status
    {
        var headers: HTTPFields = [:]
        if let uri { headers[HTTPField.Name("X-Original-URI")!] = uri }
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: "/console/media/authorize", method: .get, headers: headers).status
    }

    @Test("signed out 401, no right 403, bad paths and unknown orders 403, allowed 204 with one view per viewing")
    func authorization() async throws {
        try await withStore(.sqlite) { store in
            let h = try await ConsolePagesRouteTests.harness(store)
            try await Self.orders(store, now: h.clock.now)
            let observer = try await ConsolePagesRouteTests.token(store, .observer)
            let adminS1 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S1")
            let adminS2 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S2")
            let viewer = try await ConsolePagesRouteTests.token(store, .bureauViewer)
            let auditor = try await ConsolePagesRouteTests.token(store, .auditor)
            let playlist = LessonViewing.playlistPath(orderID: "now-s1")
            try await h.application().test(.router) { client in
                let o = try await ConsoleTestSession.signIn(client, token: observer).cookie
                #expect(try await Self.authorize(client, playlist, cookie: nil) == .unauthorized)
                #expect(try await Self.authorize(client, playlist, cookie: "cf_session=forged") == .unauthorized)
                #expect(try await Self.authorize(client, nil, cookie: o) == .badRequest)
                for bad in [
                    "/media/hls/lesson-now-s1/../lesson-now-s2/index.m3u8", "/media/hls/cfk_secret/index.m3u8",
                    "/media/hls/lesson-now-s1/secret.txt", "/media/hls/lesson-unknown/index.m3u8", "",
                ] {
                    #expect(try await Self.authorize(client, bad, cookie: o) == .forbidden, "\(bad)")
                }
                #expect(try await store.lessonViews(orderID: "now-s1").isEmpty)

                // The observer watches: playlist and fragments, many polls, one view.
                for uri in [playlist, "/media/hls/lesson-now-s1/0.ts", playlist + "?t=1", "/media/hls/lesson-now-s1/1.ts"] {
                    #expect(try await Self.authorize(client, uri, cookie: o) == .noContent)
                    h.clock.advance(seconds: 2)
                }
                var views = try await store.lessonViews(orderID: "now-s1")
                #expect(views.count == 1)
                #expect(views.first?.start.mode == .live && views.first?.start.viewerRole == .observer)
                #expect(views.first?.start.schoolID == "S1" && views.first?.start.roomID == "R2")
                h.clock.advance(seconds: 10)
                #expect(try await Self.authorize(client, playlist, cookie: o) == .noContent)
                views = try await store.lessonViews(orderID: "now-s1")
                #expect(views.count == 1 && (views.first?.durationMillis ?? 0) >= 16_000, "\(views)")
                // A silence longer than the idle gap: the next poll starts a second view.
                h.clock.advance(seconds: LessonViewing.idleMillis / 1000 + 5)
                #expect(try await Self.authorize(client, playlist, cookie: o) == .noContent)
                #expect(try await store.lessonViews(orderID: "now-s1").count == 2)
                #expect(try await store.auditLog(schoolID: "S1", limit: 20).filter { $0.action == "lesson.view" }.count == 2)

                // A patrol order's view is a patrol view; a lesson not streaming yet is allowed but no view.
                #expect(
                    try await Self.authorize(client, LessonViewing.playlistPath(orderID: "patrol-1"), cookie: o) == .noContent)
                #expect(try await store.lessonViews(orderID: "patrol-1").map(\.start.mode) == [.patrol])
                #expect(
                    try await Self.authorize(client, LessonViewing.playlistPath(orderID: "now-wait"), cookie: o) == .noContent)
                #expect(try await store.lessonViews(orderID: "now-wait").isEmpty)

                // School admins: their own school's lesson only; bureau viewers and auditors never.
                let s1 = try await ConsoleTestSession.signIn(client, token: adminS1).cookie
                let s2 = try await ConsoleTestSession.signIn(client, token: adminS2).cookie
                #expect(try await Self.authorize(client, playlist, cookie: s1) == .noContent)
                #expect(try await Self.authorize(client, playlist, cookie: s2) == .forbidden)
                #expect(
                    try await Self.authorize(client, LessonViewing.playlistPath(orderID: "now-s2"), cookie: s2) == .noContent)
                for token in [viewer, auditor] {
                    let c = try await ConsoleTestSession.signIn(client, token: token).cookie
                    #expect(try await Self.authorize(client, playlist, cookie: c) == .forbidden)
                }
                let roles = try await store.lessonViews(orderID: "now-s1").map(\.start.viewerRole)
                #expect(Set(roles) == [.observer, .schoolAdmin])
            }
        }
    }

    @Test("the watch page: facts, player and state for watchers; 404 for another school or no lesson, 403 without video")
    func watchPage() async throws {
        try await withStore(.sqlite) { store in
            let h = try await ConsolePagesRouteTests.harness(store)
            try await Self.orders(store, now: h.clock.now)
            let observer = try await ConsolePagesRouteTests.token(store, .observer)
            let adminS2 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S2")
            let viewer = try await ConsolePagesRouteTests.token(store, .bureauViewer)
            try await h.application().test(.router) { client in
                let signedOut = try await client.execute(uri: "/lessons/now-s1", method: .get)
                #expect(signedOut.status == .seeOther)
                #expect(signedOut.headers[.location]?.hasPrefix("/login") == true)
                let o = try await ConsoleTestSession.signIn(client, token: observer)
                let page = try await o.get(client, "/lessons/now-s1")
                #expect(page.status == .ok)
                for part in [
                    "教师now-s1", "data-playlist=\"/media/hls/lesson-now-s1/index.m3u8\"", "<video id=\"player\"",
                    "/console/static/watch.js", "/lessons/now-s1/recording", "/lessons/now-s1/evaluation", "正在直播",
                ] {
                    #expect(page.text.contains(part), "\(part)")
                }
                let english = try await o.get(client, "/lessons/now-wait?lang=en")
                #expect(english.text.contains("Waiting to start"))
                let state = try await o.get(client, "/lessons/now-s1/state")
                let json = try JSONSerialization.jsonObject(with: state.body) as? [String: String]
                #expect(json?["state"] == "live" && json?["playlist"] == "/media/hls/lesson-now-s1/index.m3u8")
                for path in ["/lessons/unknown", "/lessons/now-s1%2F..", "/lessons/unknown/state"] {
                    #expect(try await o.get(client, path).status == .notFound, "\(path)")
                }
                let s2 = try await ConsoleTestSession.signIn(client, token: adminS2)
                #expect(try await s2.get(client, "/lessons/now-s1").status == .notFound)
                #expect(try await s2.get(client, "/lessons/now-s1/state").status == .notFound)
                #expect(try await s2.get(client, "/lessons/now-s2").status == .ok)
                let v = try await ConsoleTestSession.signIn(client, token: viewer)
                #expect(try await v.get(client, "/lessons/now-s1").status == .forbidden)
                // Spot-check rows link to the watch page for watchers only.
                let week = "2026-W48"
                #expect(try await o.get(client, "/spotchecks?week=\(week)").text.contains("href=\"/lessons/now-s1\""))
                #expect(try await !v.get(client, "/spotchecks?week=\(week)").text.contains("href=\"/lessons/"))
            }
        }
    }
}
