import ClassroomCore
import Logging
import ServiceLifecycle

/// Runs ``AlertDelivery`` every ``AlertConfiguration/deliveryInterval`` until graceful shutdown.
/// It only reads and updates the outbox: ingest and evaluation never wait for a webhook or the MTA.
public struct AlertDeliveryService: Service {
    let delivery: AlertDelivery
    let interval: Duration
    let now: @Sendable () -> Int64

    public init(delivery: AlertDelivery, interval: Duration, now: @escaping @Sendable () -> Int64 = collectorNow) {
        self.delivery = delivery
        self.interval = interval
        self.now = now
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    try await delivery.deliverDue(now: now)
                } catch {
                    delivery.logger.backgroundPassFailed("alert delivery pass", error: error)
                }
            }
        }
    }
}

extension AlertConfiguration {
    /// The senders of the configured channels.
    public func senders(zone: CountyTimeZone) throws -> [AlertChannel: any AlertSender] {
        var out: [AlertChannel: any AlertSender] = [:]
        if let wecomWebhook {
            out[.wecom] = try WeComWebhookSender(webhook: wecomWebhook, zone: zone, consoleURL: consoleURL, timeout: sendTimeout)
        }
        if let emailTo {
            out[.email] = SendmailSender(
                sendmail: sendmail, from: emailFrom, to: emailTo, zone: zone, consoleURL: consoleURL, timeout: sendTimeout)
        }
        return out
    }
}
