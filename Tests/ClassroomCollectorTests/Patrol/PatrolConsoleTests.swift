import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// `/patrol` in the console: the rooms in a lesson now with their state, the "open" button (POST with
/// CSRF) that redirects to the watch page, refusals shown in words, another school's room 404, and
/// the patrol history from the view log; the navigation shows 巡课 to lesson watchers only.
@Suite("Patrol console page")
struct PatrolConsoleTests {
    @Test("a principal opens a room from /patrol and sees the view in the history; refusals are shown")
    func openFromThePage() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await SpotCheckDrawTests.fleet(client, h)
                let principalToken = try await client.token(.schoolAdmin, school: "S1", admin: h.admin)
                let viewerToken = try await client.token(.bureauViewer, admin: h.admin)
                h.setClock(h.instant("2026-W40", weekday: 2, "10:10"))
                for d in devices { try await store.markSeen(deviceID: d.id, at: h.clock.now, clockSkewMillis: nil) }
                let zh = ConsoleText(language: .zhCN)

                let principal = try await ConsoleTestSession.signIn(client, token: principalToken)
                let page = try await principal.get(client, "/patrol")
                #expect(page.status == .ok)
                for text in ["录播教室", "李娜", "英语", "10:40", zh.t("patrol_open"), "href=\"/patrol\""] {
                    #expect(page.text.contains(text), "\(text) on the page")
                }
                #expect(!page.text.contains("一年级1班"), "R1 has no lesson now")
                #expect(page.text.contains(zh.t("patrol_no_views")))

                let noCSRF = try await principal.post(client, "/patrol/open", ["room": "R2"])
                #expect(noCSRF.status == .forbidden)
                #expect(try await store.openPatrols().isEmpty)

                let opened = try await principal.post(client, "/patrol/open", ["csrf": principal.csrf, "room": "R2"])
                #expect(opened.status == .seeOther, "\(opened.text)")
                let location = try #require(opened.headers[.location])
                let id = try #require(try await store.openPatrols().first?.orderID)
                #expect(location == "/lessons/\(id)")

                let after = try await principal.get(client, "/patrol")
                #expect(after.text.contains(zh.t("patrol_join")), "the open patrol is joined, not opened twice")
                #expect(after.text.contains("data-order=\"\(id)\""), "the view is in the history")
                #expect(after.text.contains(zh.role(.schoolAdmin)))

                let outside = try await principal.post(client, "/patrol/open", ["csrf": principal.csrf, "room": "R1"])
                #expect(outside.status == .unprocessableContent)
                #expect(outside.text.contains(zh.t("patrol_refused_not_in_lesson")))
                let other = try await principal.post(client, "/patrol/open", ["csrf": principal.csrf, "room": "R3"])
                #expect(other.status == .notFound, "another school's room is not confirmed to exist")
                let blank = try await principal.post(client, "/patrol/open", ["csrf": principal.csrf])
                #expect(blank.status == .badRequest)

                let english = try await principal.get(client, "/patrol?lang=en")
                #expect(english.text.contains("Join patrol") && english.text.contains("Patrol views"))

                let viewer = try await ConsoleTestSession.signIn(client, token: viewerToken)
                #expect(try await viewer.get(client, "/patrol").status == .forbidden)
                #expect(!(try await viewer.get(client, "/schools").text.contains("href=\"/patrol\"")))
                let signedOut = try await client.execute(uri: "/patrol", method: .get)
                #expect(signedOut.status == .seeOther)
                #expect(signedOut.headers[.location]?.hasPrefix("/login") == true)
            }
        }
    }

    @Test("rooms that cannot be patrolled say why")
    func refusalsShown() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let devices = try await SpotCheckDrawTests.fleet(client, h)
                let observerToken = try await client.token(.observer, admin: h.admin)
                h.setClock(h.instant("2026-W40", weekday: 1, "08:10"))
                try await store.markSeen(deviceID: devices[2].id, at: h.clock.now, clockSkewMillis: nil)
                let observer = try await ConsoleTestSession.signIn(client, token: observerToken)
                let page = try await observer.get(client, "/patrol")
                let zh = ConsoleText(language: .zhCN)
                #expect(page.text.contains("一年级1班") && page.text.contains(zh.t("patrol_refused_no_camera")))
                #expect(!page.text.contains("action=\"/patrol/open\""), "no button where the room cannot be patrolled")
            }
        }
    }
}
