import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroom-collector serve` with its alert options: an outdated agent among two enrolled
/// devices is evaluated by the running service and posted to a fake WeCom robot on loopback, the
/// link to the console in the message.
@Suite("Alerts in the running collector")
struct AlertServeTests {
    @Test("serve --alert-wecom-webhook-file: the evaluation service opens the alert and the delivery service posts it")
    func servedEndToEnd() async throws {
        let dir = try TestProcess.temporaryDirectory("serve-alerts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = FakeWeComServer()
        try await fake.run { url in
            let webhook = dir.appending(path: "wecom-webhook")
            try (url + "\n").write(to: webhook, atomically: true, encoding: .utf8)
            let server = try await RunningCollector.start(
                in: dir,
                serveArguments: [
                    "--alert-interval", "10", "--alert-wecom-webhook-file", webhook.path, "--alert-console-url",
                    "http://console.test",
                ])
            defer { server.stop() }
            let files = TestRegistry.files().mapValues { Data($0).base64EncodedString() }
            #expect(try await server.call("PUT", "/api/v1/registry", json: ["files": files]).0 == 200)
            let (created, token) = try await server.call(
                "POST", "/api/v1/enrollment-tokens", json: ["school_id": "S1", "max_uses": 5, "expires_in_seconds": 3600])
            #expect(created == 201)
            let key = Data(repeating: 7, count: 32).base64EncodedString()
            for (host, version) in [("old", "0.1.0"), ("new", "0.2.0")] {
                let (status, _) = try await server.call(
                    "POST", "/api/v1/agent/enroll",
                    json: [
                        "token": token["token"] as? String ?? "", "room_id": "R1", "public_key": key, "hostname": host,
                        "agent_version": version,
                    ])
                #expect(status == 201)
            }
            // The first evaluation runs 10 s after start, delivery every 5 s: wait for the message (bounded).
            for _ in 0..<300 where fake.count == 0 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(fake.count == 1)
            let content = try #require(fake.contents.first)
            #expect(content.contains("【设备告警】终端代理版本过旧") && content.contains("代理版本 0.1.0，最新 0.2.0"), "\(content)")
            #expect(content.contains("[在控制台查看](http://console.test/alerts)"))
            let (status, listed) = try await server.call("GET", "/api/v1/alerts")
            #expect(status == 200)
            #expect(((listed["alerts"] as? [[String: Any]]) ?? []).map { $0["kind"] as? String } == ["agent_outdated"])
        }
    }
}
