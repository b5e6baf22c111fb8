import ClassroomCore
import ClassroomTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import ClassroomCollector

/// Delivery to a fake WeCom group robot on loopback and a fake sendmail: the message's markdown,
/// retries with exponential backoff on every kind of bad answer, giving up after the bound, WeCom's
/// per-minute limit, and the key never in a log line.
@Suite("Alert delivery")
struct AlertDeliveryTests {
    static let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)

    static func configuration(webhook: String?) -> AlertConfiguration {
        var c = AlertConfiguration()
        c.wecomWebhook = webhook
        c.sendTimeout = .seconds(30)  // a loaded machine must not turn a slow answer into a retry
        c.consoleURL = "https://jiaoyu.example.cn"
        return c
    }

    /// One open alert of d1 with notifications on `channels`.
    static func seed(_ store: any CollectorStore, channels: [AlertChannel], at: Int64 = 1_000) async throws -> AlertRecord {
        var plan = AlertPlan()
        plan.opens = [
            AlertCondition(
                kind: .microphoneSilent, schoolID: "S1", deviceID: "d1", roomID: "R2", detail: "no speech",
                chineseDetail: "3 个上课日无语音")
        ]
        return try await store.applyAlertPlan(plan, channels: channels, at: at).opened[0]
    }

    static func delivery(
        _ store: any CollectorStore, _ configuration: AlertConfiguration, logs: InMemoryLog? = nil,
        sendmail: SendmailSender? = nil
    ) throws -> AlertDelivery {
        var senders: [AlertChannel: any AlertSender] = [:]
        if let webhook = configuration.wecomWebhook {
            senders[.wecom] = try WeComWebhookSender(
                webhook: webhook, zone: zone, consoleURL: configuration.consoleURL, timeout: configuration.sendTimeout)
        }
        if let sendmail { senders[.email] = sendmail }
        return AlertDelivery(
            store: store, senders: senders, configuration: configuration, logger: logs?.logger ?? Logger(label: "t"))
    }

    @Test("delivered once as WeCom markdown in Chinese; nothing left due", arguments: StoreKind.allCases)
    func delivered(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let fake = FakeWeComServer()
            try await fake.run { url in
                _ = try await Self.seed(store, channels: [.wecom])
                let delivery = try Self.delivery(store, Self.configuration(webhook: url))
                #expect(try await delivery.deliverDue(now: { 2_000 }) == 1)
                #expect(try await delivery.deliverDue(now: { 3_000 }) == 0)
            }
            #expect(fake.count == 1)
            let body = try #require(fake.received.first)
            #expect(body["msgtype"] as? String == "markdown")
            let content = try #require(fake.contents.first)
            #expect(content.hasPrefix("### <font color=\"warning\">【设备告警】麦克风在上课时段持续无声</font>"), "\(content)")
            #expect(content.contains("> 学校：S1") && content.contains("> 教室：R2") && content.contains("> 终端：d1"))
            #expect(content.contains("> 详情：3 个上课日无语音"))
            #expect(content.contains("[在控制台查看](https://jiaoyu.example.cn/alerts)"))
        }
    }

    @Test("HTTP 500, errcode 45009 and a refused connection are retried with doubling delays, then given up and logged")
    func retriedWithBackoff() async throws {
        try await withStore(.sqlite) { store in
            let logs = InMemoryLog()
            let fake = FakeWeComServer(script: [.http(500), .errcode(45009)])
            var configuration = Self.configuration(webhook: nil)
            configuration.retryBase = .seconds(30)
            configuration.maximumAttempts = 4
            let base = configuration
            try await fake.run { url in
                var configuration = base
                configuration.wecomWebhook = url
                _ = try await Self.seed(store, channels: [.wecom])
                let delivery = try Self.delivery(store, configuration, logs: logs)
                // Attempt 1 (HTTP 500) → next in 30 s; attempt 2 (errcode) → 60 s later.
                #expect(try await delivery.deliverDue(now: { 1_000 }) == 0)
                #expect(try await store.dueAlertNotifications(channels: [.wecom], at: 30_999, limit: 9).isEmpty)
                #expect(try await delivery.deliverDue(now: { 31_000 }) == 0)
                #expect(try await store.dueAlertNotifications(channels: [.wecom], at: 90_999, limit: 9).isEmpty)
                #expect(try await store.dueAlertNotifications(channels: [.wecom], at: 91_000, limit: 9).map(\.attempts) == [2])
            }
            #expect(fake.count == 2)
            // The server is gone: attempt 3 is refused → 120 s; attempt 4 is the last: given up.
            let port = try MediaServerProcess.freePort()
            configuration.wecomWebhook = "http://127.0.0.1:\(port)/cgi-bin/webhook/send?key=SECRET-KEY-0123"
            let refused = try Self.delivery(store, configuration, logs: logs)
            #expect(try await refused.deliverDue(now: { 91_000 }) == 0)
            #expect(try await store.dueAlertNotifications(channels: [.wecom], at: 210_999, limit: 9).isEmpty)
            #expect(try await refused.deliverDue(now: { 211_000 }) == 0)
            #expect(try await store.dueAlertNotifications(channels: [.wecom], at: 100_000_000, limit: 9).isEmpty)
            let lines = logs.lines
            #expect(lines.filter { $0.contains("will retry") }.count == 3)
            #expect(lines.contains { $0.contains("given up") && $0.contains("attempts=4") })
            #expect(lines.contains { $0.contains("webhook answered HTTP 500") })
            #expect(lines.contains { $0.contains("webhook errcode 45009") })
            #expect(!lines.contains { $0.contains("SECRET-KEY") }, "the webhook key was logged")
        }
    }

    @Test("backoff doubles from the base and stops at the maximum")
    func backoff() {
        var c = AlertConfiguration()
        c.retryBase = .seconds(30)
        c.retryMaximum = .seconds(3600)
        #expect(
            (1...9).map { c.retryDelay(afterAttempts: $0) }
                == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map { .seconds($0) })
    }

    @Test("at most 20 WeCom messages a minute: the rest wait for the next minute")
    func perMinuteLimit() async throws {
        try await withStore(.sqlite) { store in
            let fake = FakeWeComServer()
            try await fake.run { url in
                var plan = AlertPlan()
                plan.opens = (1...25).map {
                    AlertCondition(
                        kind: .agentOffline, schoolID: "S1", deviceID: "d\($0)", roomID: nil, detail: "x", chineseDetail: "x")
                }
                _ = try await store.applyAlertPlan(plan, channels: [.wecom], at: 1_000)
                let delivery = try Self.delivery(store, Self.configuration(webhook: url))
                #expect(try await delivery.deliverDue(now: { 2_000 }) == 20)
                #expect(try await delivery.deliverDue(now: { 30_000 }) == 0)
                #expect(try await delivery.deliverDue(now: { 62_001 }) == 5)
            }
            #expect(fake.count == 25)
        }
    }

    @Test("WeCom content is cut to 4096 bytes of UTF-8 at a character boundary")
    func contentLimit() {
        let long = String(repeating: "麦", count: 3000)
        let cut = AlertMessage.truncated(long, bytes: 4096)
        #expect(cut.utf8.count <= 4096 && cut.hasSuffix("…") && cut.dropLast().allSatisfy { $0 == "麦" })
        #expect(AlertMessage.truncated("短", bytes: 4096) == "短")
    }

    @Test("email through a fake sendmail -t: headers, Chinese subject, body; a failing sendmail is retried")
    func email() async throws {
        try await withStore(.sqlite) { store in
            let dir = try TestProcess.temporaryDirectory("sendmail")
            defer { try? FileManager.default.removeItem(at: dir) }
            let script = dir.appending(path: "sendmail")
            let mails = dir.appending(path: "mails")
            try FileManager.default.createDirectory(at: mails, withIntermediateDirectories: true)
            // Fails the first time (EX_TEMPFAIL), then keeps each message and its arguments.
            try """
            #!/bin/sh
            d=\(dir.path)
            if [ ! -e "$d/failed-once" ]; then touch "$d/failed-once"; cat >/dev/null; echo "queue full" >&2; exit 75; fi
            n=$(ls "$d/mails" | wc -l)
            cat > "$d/mails/$n.eml"
            echo "$@" > "$d/mails/$n.args"
            """.write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            _ = try await Self.seed(store, channels: [.email])
            let sender = SendmailSender(
                sendmail: script.path, from: "collector@example.cn", to: "dianjiao@example.cn", zone: Self.zone,
                consoleURL: nil, timeout: .seconds(10))
            let logs = InMemoryLog()
            let delivery = try Self.delivery(store, Self.configuration(webhook: nil), logs: logs, sendmail: sender)
            #expect(try await delivery.deliverDue(now: { 2_000 }) == 0)
            #expect(logs.lines.contains { $0.contains("exited with 75: queue full") })
            #expect(try await delivery.deliverDue(now: { 40_000 }) == 1)
            let mail = try String(contentsOf: mails.appending(path: "0.eml"), encoding: .utf8)
            #expect(try String(contentsOf: mails.appending(path: "0.args"), encoding: .utf8) == "-t -oi\n")
            #expect(mail.contains("To: dianjiao@example.cn\n") && mail.contains("From: collector@example.cn\n"))
            let subject = try #require(mail.split(separator: "\n").first { $0.hasPrefix("Subject: =?UTF-8?B?") })
            let encoded = subject.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2)
            #expect(String(decoding: Data(base64Encoded: String(encoded)) ?? Data(), as: UTF8.self) == "【设备告警】麦克风在上课时段持续无声")
            #expect(mail.contains("详情：3 个上课日无语音") && mail.contains("Alert opened: microphone silent during lessons"))
        }
    }
}

/// A log handler that keeps every line (level, message, metadata) for assertions.
final class InMemoryLog: Sendable {
    private let store = Mutex<[String]>([])
    var lines: [String] { store.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    func append(_ line: String) { store.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let log: InMemoryLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, b in b }
            let meta = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.append("\(event.level) \(event.message) \(meta)")
        }
    }
}
