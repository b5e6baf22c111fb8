import Logging
import Synchronization

/// One pass over the delivery outbox: sends each due notification on its channel and records the
/// outcome — delivered; or retried after ``AlertConfiguration/retryDelay(afterAttempts:)``
/// (exponential backoff); or, after ``AlertConfiguration/maximumAttempts``, given up and logged.
/// Channels are served concurrently, so a hanging webhook does not hold back the email.
public struct AlertDelivery: Sendable {
    let store: any CollectorStore
    let senders: [AlertChannel: any AlertSender]
    let configuration: AlertConfiguration
    let logger: Logger
    let wecomWindow = SendWindow()

    public init(
        store: any CollectorStore, senders: [AlertChannel: any AlertSender], configuration: AlertConfiguration, logger: Logger
    ) {
        self.store = store
        self.senders = senders
        self.configuration = configuration
        self.logger = logger
    }

    /// Delivers what is due at `now()`; answers how many notifications were delivered.
    @discardableResult
    public func deliverDue(now: @escaping @Sendable () -> Int64) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (channel, sender) in senders {
                group.addTask { try await deliver(channel: channel, sender: sender, now: now) }
            }
            return try await group.reduce(0, +)
        }
    }

    func deliver(channel: AlertChannel, sender: any AlertSender, now: @Sendable () -> Int64) async throws -> Int {
        // Over WeCom's 20 a minute the rest wait, unclaimed, for a later pass.
        let limit =
            channel == .wecom ? min(100, wecomWindow.free(at: now(), perMinute: configuration.wecomMessagesPerMinute)) : 100
        guard limit > 0 else { return 0 }
        // Claimed for as long as sending all of them could take, so no other pass or collector sends them twice.
        let timeout = configuration.sendTimeout.components.seconds + 1
        let claimed = try await store.claimAlertNotifications(
            channels: [channel], at: now(), limit: limit, leaseUntil: now() + (Int64(limit) * timeout + 60) * 1000)
        var delivered = 0
        for notification in claimed {
            // At shutdown the rest stay claimed until their lease ends, then any collector sends them.
            if Task.isCancelled { break }
            if channel == .wecom { wecomWindow.record(at: now()) }
            let outcome: AlertDeliveryOutcome
            do {
                try await sender.send(notification)
                outcome = .delivered
                delivered += 1
            } catch {
                let attempts = notification.attempts + 1
                let message = "\(error)"
                if attempts >= configuration.maximumAttempts {
                    logger.error(
                        "alert notification given up",
                        metadata: [
                            "channel": "\(channel.rawValue)", "alert": "\(notification.alert.key)",
                            "transition": "\(notification.transition.rawValue)", "attempts": "\(attempts)", "error": "\(message)",
                        ])
                    outcome = .gaveUp(error: message)
                } else {
                    let delay = configuration.retryDelay(afterAttempts: attempts)
                    let next = now() + delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000
                    logger.warning(
                        "alert notification failed; will retry",
                        metadata: [
                            "channel": "\(channel.rawValue)", "alert": "\(notification.alert.key)", "attempts": "\(attempts)",
                            "retry_in": "\(delay)", "error": "\(message)",
                        ])
                    outcome = .retry(next: next, error: message)
                }
            }
            try await store.recordAlertDelivery(id: notification.id, outcome: outcome, at: now())
        }
        return delivered
    }
}

/// The send times of the last minute, to stay within a per-minute limit.
final class SendWindow: Sendable {
    private let sent = Mutex<[Int64]>([])

    /// How many more may be sent at `now` within `perMinute` over the minute before it.
    func free(at now: Int64, perMinute: Int) -> Int {
        sent.withLock { times in
            times.removeAll { $0 <= now - 60_000 }
            return max(0, perMinute - times.count)
        }
    }

    /// Counts one sent at `now`.
    func record(at now: Int64) { sent.withLock { $0.append(now) } }
}
