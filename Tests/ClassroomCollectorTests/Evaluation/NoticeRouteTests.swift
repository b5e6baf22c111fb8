import ClassroomCore
import ClassroomReports
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// The weekly notice agrees with the week's results, summarises the evaluations as computed by
/// hand, names whom to follow up, and renders in the console (zh, en) and as CSV for Excel.
@Suite("Weekly spot-check notice")
struct NoticeRouteTests {
    @Test("the notice's figures are the results' and the hand-computed means", arguments: StoreKind.allCases)
    func figures(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await NoticeFixture.populate(store, now: h.clock.now)
            let principalS2 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S2")
            try await h.application().test(.router) { client in
                let results = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W48/results", token: h.adminToken)
                let answer = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W48/notice", token: h.adminToken)
                #expect(answer.status == .ok)
                let notice = try answer.decode(SpotCheckNotice.self)
                // Every result row is in the notice with the same status and reason.
                var expected: [String: String] = [:]
                for row in results.json["results"] as? [[String: Any]] ?? [] {
                    let order = row["order"] as? [String: Any] ?? [:]
                    expected[order["id"] as? String ?? ""] = row["status"] as? String
                }
                let lessons = notice.schools.flatMap(\.lessons)
                #expect(Dictionary(uniqueKeysWithValues: lessons.map { ($0.orderID, $0.status) }) == expected)
                #expect(expected == ["n1": "conducted", "n2": "device_offline", "n3": "excused", "n4": "conducted"])
                #expect(notice.schools.map(\.id) == ["S1", "S2"])
                #expect(notice.schools[0].name == "龙树九年一贯制学校")
                #expect(
                    notice.totals == NoticeTotals(called: 4, conducted: 2, notConducted: 1, excused: 1, pending: 0, schools: 2))
                #expect(lessons.first { $0.orderID == "n3" }?.reason == "外出教研")
                // The reason in English for scripts, and in Chinese for the notice in Chinese.
                let offline = try #require(lessons.first { $0.orderID == "n2" })
                let offlineRow = (results.json["results"] as? [[String: Any]] ?? []).first {
                    ($0["order"] as? [String: Any])?["id"] as? String == "n2"
                }
                #expect(offline.reason == offlineRow?["reason"] as? String && offline.reason.allSatisfy(\.isASCII))
                let zhReason = try #require(offline.reasonZh)
                #expect(zhReason.contains("终端") && zhReason != offline.reason, "\(zhReason)")
                #expect(notice.followUp.first { $0.orderID == "n2" }?.reasonZh == zhReason)
                // Means by hand: objectives 11/3, process 12/3, technology 10/3, effect 10/3.
                #expect(notice.evaluation.count == 3 && notice.evaluation.lessons == 2)
                let m = notice.evaluation.means
                #expect(abs((m["objectives"] ?? 0) - 11.0 / 3) < 1e-9 && m["process"] == 4.0)
                #expect(abs((m["technology"] ?? 0) - 10.0 / 3) < 1e-9 && abs((m["effect"] ?? 0) - 10.0 / 3) < 1e-9)
                #expect(lessons.first { $0.orderID == "n1" }?.means["objectives"] == 4.5)
                #expect(notice.followUp.map(\.orderID) == ["n2", "n4"])
                #expect(notice.followUp.map(\.kind) == ["not_conducted", "low_score"])
                #expect(notice.followUp[1].lowItems == ["objectives": 2, "process": 2, "effect": 2])
                #expect(notice.followUpSchools == ["龙树九年一贯制学校", "水磨中心小学"])
                // A school admin's notice is its school's part only.
                let own = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W48/notice", token: principalS2)
                let s2 = try own.decode(SpotCheckNotice.self)
                #expect(s2.schools.map(\.id) == ["S2"] && s2.totals.called == 2 && s2.hidden == nil)
                #expect(
                    try await client.call(.get, "/api/v1/spotcheck/weeks/2026-48/notice", token: h.adminToken).status
                        == .badRequest)
            }
        }
    }

    @Test("console page in Chinese and English, CSV with BOM, CRLF and inert formulas", arguments: [StoreKind.sqlite])
    func console(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await NoticeFixture.populate(store, now: h.clock.now)
            let principalS1 = try await ConsolePagesRouteTests.token(store, .schoolAdmin, school: "S1")
            try await h.application().test(.router) { client in
                let s = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                let page = try await s.get(client, "/spotchecks/2026-W48/notice")
                #expect(page.status == .ok)
                #expect(page.text.contains("关于2026年第48周随机点课直播情况的通报"))
                #expect(page.text.contains("本周共点课 4 节，已开课 2 节，未开课（无正当理由）1 节，请假 1 节，待开课 0 节。"))
                #expect(page.text.contains("<td class=\"num\" data-item=\"objectives\">3.67</td>"))
                #expect(page.text.contains("水磨中心小学 王芳：评课平均分偏低（教学目标 2.00，教学过程 2.00，课堂效果 2.00，低于 3.00 分）。"))
                #expect(page.text.contains("龙树九年一贯制学校 李娜：设备离线"))
                #expect(page.text.contains("教室 R1 没有已注册的终端"), "the reason in Chinese on the Chinese notice")
                let english = try await s.get(client, "/spotchecks/2026-W48/notice?lang=en")
                #expect(english.text.contains("Notice on the random live-lesson spot-check, week 48 of 2026"))
                #expect(english.text.contains("4 lessons called: 2 conducted, 1 not conducted without excuse"))
                #expect(english.text.contains("no enrolled device in room R1"), "the English notice keeps the English reason")
                #expect(try await s.get(client, "/spotchecks/2026-48/notice").status == .badRequest)

                let csv = try await s.get(client, "/spotchecks/2026-W48/notice?format=csv&lang=zh")
                #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
                let bytes = [UInt8](csv.body)
                #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
                let lines = text.components(separatedBy: "\r\n")
                #expect(lines.count == 6 && lines.last == "")
                #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
                #expect(lines[0].hasPrefix("周次,学校编号,学校,教师编号,教师,星期,开始,结束,学科,教室,点课编号,开课情况"))
                #expect(text.contains(",'=SUM(A1),"))
                #expect(!text.contains(",=SUM"))

                let p = try await ConsoleTestSession.signIn(client, token: principalS1)
                let own = try await p.get(client, "/spotchecks/2026-W48/notice")
                #expect(own.text.contains("李娜") && !own.text.contains("王芳"))
            }
        }
    }
}
