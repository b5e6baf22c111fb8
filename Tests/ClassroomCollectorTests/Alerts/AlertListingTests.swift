import ClassroomCore
import ClassroomTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// Listing alerts: `GET /api/v1/alerts` by state and school with a school admin kept to its own
/// school, the console page in both languages, `classroomctl alerts` against the real collector,
/// and `serve`'s alert options refused by name.
@Suite("Alert listing")
struct AlertListingTests {
    /// Open d1 (S1) and d3 (S2), then close d3.
    static func seed(_ store: any CollectorStore) async throws {
        var plan = AlertPlan()
        plan.opens = [
            AlertCondition(
                kind: .agentOffline, schoolID: "S1", deviceID: "d1", roomID: "R1", detail: "last heard from 4.0 days ago",
                chineseDetail: "已 4.0 天未上线"),
            AlertCondition(
                kind: .agentOutdated, schoolID: "S2", deviceID: "d3", roomID: "R3", detail: "agent 0.1, newest reported 0.2",
                chineseDetail: "代理版本 0.1，最新 0.2"),
        ]
        _ = try await store.applyAlertPlan(plan, channels: [], at: 1_790_000_000_000)
        var close = AlertPlan()
        close.closes = ["agent_outdated:device:d3"]
        _ = try await store.applyAlertPlan(close, channels: [], at: 1_790_000_600_000)
    }

    static func keys(_ answer: Answer) -> [String] {
        ((answer.json["alerts"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String }
    }

    @Test(
        "the API lists by state and school; a school admin sees only its own; a bad state is a 400", arguments: StoreKind.allCases
    )
    func api(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await Self.seed(store)
            try await h.application().test(.router) { client in
                let admin = h.adminToken
                #expect(Self.keys(try await client.call(.get, "/api/v1/alerts", token: admin)) == ["agent_offline:device:d1"])
                #expect(
                    Self.keys(try await client.call(.get, "/api/v1/alerts?state=closed", token: admin)) == [
                        "agent_outdated:device:d3"
                    ])
                #expect(
                    Self.keys(try await client.call(.get, "/api/v1/alerts?state=all&school=S2", token: admin)) == [
                        "agent_outdated:device:d3"
                    ])
                let all = try await client.call(.get, "/api/v1/alerts?state=all", token: admin)
                #expect(all.json["state"] as? String == "all")
                let first = try #require((all.json["alerts"] as? [[String: Any]])?.last)
                #expect(first["kind"] as? String == "agent_offline" && first["school_id"] as? String == "S1")
                #expect(first["detail_zh"] as? String == "已 4.0 天未上线" && first["opened_at"] as? Int64 == 1_790_000_000_000)
                #expect(first["closed_at"] == nil)

                let s1 = try await client.token(.schoolAdmin, school: "S1", admin: admin)
                #expect(
                    Self.keys(try await client.call(.get, "/api/v1/alerts?state=all", token: s1)) == ["agent_offline:device:d1"])
                #expect(try await client.call(.get, "/api/v1/alerts?school=S2", token: s1).status == .forbidden)
                let bad = try await client.call(.get, "/api/v1/alerts?state=maybe", token: admin)
                #expect(bad.status == .badRequest)
                #expect(bad.error?.message == "query 'state' must be open, closed or all, not 'maybe'")
                #expect(try await client.call(.get, "/api/v1/alerts").status == .unauthorized)
            }
        }
    }

    @Test("the console page in Chinese and English, its CSV, and the overview's link")
    func console() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await Self.seed(store)
            try await h.application().test(.router) { client in
                let session = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                let page = try await session.get(client, "/alerts")
                #expect(page.status == .ok)
                for text in ["设备告警", "终端离线超过阈值", "已 4.0 天未上线", "龙树九年一贯制学校", "href=\"/alerts\"", "/devices/d1"] {
                    #expect(page.text.contains(text), "\(text) on /alerts")
                }
                #expect(!page.text.contains("代理版本 0.1"), "the closed alert is not listed as open")
                let closed = try await session.get(client, "/alerts?state=closed&lang=en")
                #expect(closed.text.contains("agent version outdated") && closed.text.contains("agent 0.1, newest reported 0.2"))
                let csv = try await session.get(client, "/alerts?state=all&format=csv")
                #expect(csv.text.hasPrefix("\u{FEFF}告警,学校") || csv.text.contains("告警"), "\(csv.text.prefix(80))")
                #expect(csv.text.contains("终端离线超过阈值") && csv.text.contains("代理版本过旧"))
                let overview = try await session.get(client, "/")
                #expect(overview.text.contains("id=\"open-alerts\"") && overview.text.contains("未解除的设备告警：1 条"))
                #expect(try await session.get(client, "/alerts?state=nope").status == .badRequest)
                // A school admin of S2 sees its own school's alert only.
                let s2 = try await client.token(.schoolAdmin, school: "S2", admin: h.adminToken)
                let principal = try await ConsoleTestSession.signIn(client, token: s2)
                let own = try await principal.get(client, "/alerts?state=all")
                #expect(own.text.contains("代理版本 0.1") && !own.text.contains("已 4.0 天未上线"))
            }
        }
    }

    @Test("classroomctl alerts against the real collector: table, --state, --school, --json; serve refuses bad options by name")
    func cli() async throws {
        let dir = try TestProcess.temporaryDirectory("ctl-alerts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await RunningCollector.start(in: dir)
        defer { server.stop() }
        let store = try CollectorSQLiteStore(path: dir.appending(path: "collector.sqlite").path)
        try await store.migrate()
        try await Self.seed(store)
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": server.adminToken, "CLASSROOM_COLLECTOR": server.base, "XDG_CONFIG_HOME": dir.path]

        let open = try TestProcess.run(ctl, ["alerts"], environment: env)
        #expect(open.status == 0, "\(open.stderr)")
        let lines = open.stdout.split(separator: "\n")
        #expect(
            lines.count == 1 && lines[0].contains("  open  agent_offline  S1  R1  d1  ")
                && lines[0].hasSuffix("last heard from 4.0 days ago"))
        let all = try TestProcess.run(ctl, ["alerts", "--state", "all", "--school", "S2"], environment: env)
        #expect(all.stdout.contains("closed  agent_outdated  S2") && !all.stdout.contains("agent_offline"))
        let json = try TestProcess.run(ctl, ["alerts", "--state", "closed", "--json"], environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["alerts"] as? [[String: Any]])?.first?["key"] as? String == "agent_outdated:device:d3")
        let none = try TestProcess.run(ctl, ["alerts", "--school", "S9"], environment: env)
        #expect(none.status == 0 && none.stdout == "no open alerts\n")
        let bad = try TestProcess.run(ctl, ["alerts", "--state", "maybe"], environment: env)
        #expect(bad.status != 0 && bad.stderr.contains("--state"))
        let help = try TestProcess.run(ctl, ["alerts", "--help"], environment: env)
        #expect(help.stdout.contains("--state") && help.stdout.contains("docs/alerts.md"))

        let collector = try TestProcess.product("classroom-collector")
        let db = "sqlite:" + dir.appending(path: "other.sqlite").path
        for (arguments, message) in [
            (["--alert-silent-days", "0"], "--alert-silent-days: must be 1…60, not 0"),
            (["--alert-email-to", "nobody"], "--alert-email-to: must be one or more addresses"),
            (["--alert-sendmail", "sendmail"], "--alert-sendmail: must be an absolute path"),
            (["--alert-wecom-webhook-file", dir.appending(path: "missing").path], "--alert-wecom-webhook-file: cannot read"),
            (["--alert-wecom-per-minute", "30"], "--alert-wecom-per-minute: must be 1…20"),
        ] {
            let refused = try TestProcess.run(collector, ["serve", "--db", db, "--listen", "127.0.0.1:0"] + arguments)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        let webhook = dir.appending(path: "webhook")
        try "ftp://qyapi.weixin.qq.com/x?key=SECRET-KEY-0123\n".write(to: webhook, atomically: true, encoding: .utf8)
        let badURL = try TestProcess.run(collector, ["serve", "--db", db, "--alert-wecom-webhook-file", webhook.path])
        #expect(badURL.status != 0 && badURL.stderr.contains("--alert-wecom-webhook-file: must hold an http(s) URL"))
        #expect(!badURL.stderr.contains("SECRET-KEY"))
    }
}
