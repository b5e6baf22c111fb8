import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// A spot-check called now (what `scripts/run.sh` does) shows on `/spotchecks` and on the overview
/// with its result and reason, as `/api/v1/spotcheck/weeks/{week}/results` classifies it.
@Suite("Console spot-check page")
struct ConsoleSpotChecksPageTests {
    @Test("a call made now appears with its result; only a bureau admin sees the excuse form", arguments: [StoreKind.sqlite])
    func nowOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await ConsolePagesRouteTests.harness(store)
            let t = h.clock.now
            let zone = CollectorConfiguration(port: 0, databaseURL: "test", maximumWait: 30).spotcheck.zone
            let week = ISOWeek(containing: zone.localTime(of: Date(timeIntervalSince1970: Double(t) / 1000)).date)
            try await store.insertSpotCheckOrder(
                SpotCheckOrderRecord(
                    id: "now-1", week: week.description, source: "now", position: 0, round: 0, teacherID: "T1",
                    teacherName: "张老师", schoolID: "S1", roomID: "R2", weekday: 1, startMinute: 480, endMinute: 520,
                    subject: "语文", lessonStart: t - 3_600_000, lessonEnd: t - 600_000, createdAt: t - 3_600_000),
                audit: ConsolePagesRouteTests.audit)
            let viewerToken = try await ConsolePagesRouteTests.token(store, .bureauViewer)
            try await h.application().test(.router) { client in
                let api = try await client.call(.get, "/api/v1/spotcheck/weeks/\(week)/results", token: h.adminToken)
                let row = try #require((api.json["results"] as? [[String: Any]])?.first)
                let status = try #require(row["status"] as? String)
                let admin = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                let page = try await admin.get(client, "/spotchecks")
                #expect(page.status == .ok)
                #expect(page.text.contains("张老师"))
                #expect(page.text.contains(ConsoleText(language: .zhCN).t("status_" + status)))
                // The API's English reason, in Chinese on the zh-CN page.
                let english = try #require(row["reason"] as? String)
                let reason = try #require(SpotCheckReasonTests.all.first { $0.english == english })
                #expect(page.text.contains(ConsoleText(language: .zhCN).reason(reason)))
                #expect(!page.text.contains(english))
                #expect(page.text.contains("action=\"/spotchecks/excuse\""))
                let overview = try await admin.get(client, "/")
                #expect(overview.text.contains("<span class=\"big\" id=\"spot-called\">1</span>"))
                let viewer = try await ConsoleTestSession.signIn(client, token: viewerToken)
                let seen = try await viewer.get(client, "/spotchecks?week=\(week)")
                #expect(seen.text.contains("张老师"))
                #expect(!seen.text.contains("action=\"/spotchecks/excuse\""))
                #expect(
                    try await viewer.post(client, "/spotchecks/excuse", ["csrf": viewer.csrf, "order": "now-1", "reason": "x"])
                        .status == .forbidden)
                let excused = try await admin.post(
                    client, "/spotchecks/excuse",
                    ["csrf": admin.csrf, "week": week.description, "order": "now-1", "reason": "停电"])
                #expect(excused.status == .ok)
                #expect(excused.text.contains("停电"))
                #expect(
                    try await store.auditLog(schoolID: "S1", limit: 5).contains {
                        $0.action == "spotcheck.excuse" && $0.detail == "停电"
                    })
            }
        }
    }
}
