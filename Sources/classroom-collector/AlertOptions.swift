import ArgumentParser
import ClassroomCollector
import ClassroomCore
import Foundation
import Logging
import ServiceLifecycle

/// The device-health alert options of `classroom-collector serve` (``ClassroomCollector/AlertConfiguration``).
struct AlertOptions: ParsableArguments {
    @Option(help: "Seconds between two evaluations of the alert conditions.")
    var alertInterval = 300
    @Option(help: "Lesson days in a row with a silent microphone that raise an alert.")
    var alertSilentDays = 3
    @Option(help: "A lesson minute whose peak reaches this level (dBFS) or that has speech is not silent.")
    var alertSilenceFloorDbfs = -60.0
    @Option(help: "A minute clips when at least this share of its frames clipped (0–1).")
    var alertClippingRatio = 0.05
    @Option(help: "Clipping lesson minutes on the latest lesson day that raise an alert.")
    var alertClippingMinutes = 10
    @Option(help: "Days without contact after which an agent is offline.")
    var alertOfflineDays = 3.0
    @Option(help: "Heartbeats (at least --alert-backlog-spacing apart) whose outbox queue must grow each time.")
    var alertBacklogHeartbeats = 3
    @Option(help: "Seconds between the heartbeats compared for the backlog.")
    var alertBacklogSpacing = 900
    @Option(help: "The queue depth the last of them must reach.")
    var alertBacklogMinimum = 500
    @Option(help: "Agents older than this version are outdated (default: older than the newest version reported).")
    var alertMinAgentVersion: String?
    @Option(help: "Seconds a condition must stay false before its alert closes (flapping keeps one alert).")
    var alertCloseAfter = 21_600
    @Option(
        help: """
            File holding the WeCom (企业微信) group robot webhook URL, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY \
            (or set CLASSROOM_ALERT_WECOM_WEBHOOK). Without it no WeCom messages are sent. The key is never logged.
            """)
    var alertWecomWebhookFile: String?
    @Option(help: "Send alert emails to these addresses (comma-separated) through the local MTA; without it no email.")
    var alertEmailTo: String?
    @Option(help: "The From: of alert emails.")
    var alertEmailFrom = "classroom-collector"
    @Option(help: "The MTA's sendmail program (run as sendmail -t -oi).")
    var alertSendmail = "/usr/sbin/sendmail"
    @Option(help: "The console's address (such as https://jiaoyu.example.cn), for a link in each message.")
    var alertConsoleUrl: String?
    @Option(help: "Seconds before the first retry of a failed delivery; doubles each time, at most an hour.")
    var alertRetryBase = 30
    @Option(help: "Delivery attempts before a notification is given up (and logged).")
    var alertMaxAttempts = 8
    @Option(help: "WeCom messages per minute at most (WeCom's limit per robot is 20).")
    var alertWecomPerMinute = 20

    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AlertConfiguration {
        var c = AlertConfiguration()
        c.thresholds.silentDays = alertSilentDays
        c.thresholds.silenceFloorDBFS = alertSilenceFloorDbfs
        c.thresholds.clippingFrameRatio = alertClippingRatio
        c.thresholds.clippingMinutes = alertClippingMinutes
        guard alertOfflineDays.isFinite, alertOfflineDays > 0, alertOfflineDays <= 365 else {
            throw ValidationError("--alert-offline-days: must be more than 0 and at most 365, not \(alertOfflineDays)")
        }
        c.thresholds.offlineSeconds = Int64((alertOfflineDays * 86_400).rounded())
        c.thresholds.backlogHeartbeats = alertBacklogHeartbeats
        c.thresholds.backlogSpacingSeconds = Int64(alertBacklogSpacing)
        c.thresholds.backlogMinimum = alertBacklogMinimum
        c.thresholds.minimumAgentVersion = alertMinAgentVersion
        c.thresholds.closeAfterSeconds = Int64(alertCloseAfter)
        c.evaluationInterval = .seconds(alertInterval)
        var webhook = environment["CLASSROOM_ALERT_WECOM_WEBHOOK"].flatMap { $0.isEmpty ? nil : $0 }
        if let alertWecomWebhookFile {
            guard let text = try? String(contentsOfFile: alertWecomWebhookFile, encoding: .utf8) else {
                throw ValidationError("--alert-wecom-webhook-file: cannot read \(alertWecomWebhookFile)")
            }
            webhook = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        c.wecomWebhook = webhook
        c.emailTo = alertEmailTo
        c.emailFrom = alertEmailFrom
        c.sendmail = alertSendmail
        c.consoleURL = alertConsoleUrl.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        c.retryBase = .seconds(alertRetryBase)
        c.maximumAttempts = alertMaxAttempts
        c.wecomMessagesPerMinute = alertWecomPerMinute
        do {
            return try c.validated()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The evaluator, and the delivery when a channel is configured.
    static func services(
        store: any CollectorStore, configuration: AlertConfiguration, zone: CountyTimeZone, logger: Logger
    ) throws -> [any Service] {
        var services: [any Service] = [
            AlertEvaluationService(
                evaluation: AlertEvaluation(store: store, configuration: configuration, zone: zone, logger: logger),
                interval: configuration.evaluationInterval, logger: logger)
        ]
        let senders = try configuration.senders(zone: zone)
        if !senders.isEmpty {
            services.append(
                AlertDeliveryService(
                    delivery: AlertDelivery(store: store, senders: senders, configuration: configuration, logger: logger),
                    interval: configuration.deliveryInterval))
            logger.info(
                "alert delivery",
                metadata: [
                    "wecom": "\(configuration.redactedWebhook ?? "off")", "email": "\(configuration.emailTo ?? "off")",
                ])
        }
        return services
    }
}
