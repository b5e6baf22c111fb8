import Logging
import ServiceLifecycle

/// The daily upkeep of the event log: at start and then once a day, creates the coming months'
/// partitions (PostgreSQL) and, when a retention is set, removes the events older than it.
///
/// - Important: every collector on a database runs it; the store serialises the runs (an
///   advisory lock on PostgreSQL), and a second run in the same day finds nothing to do.
public struct EventRetentionService: Service {
    let store: any EventRetentionStore
    /// Whole months kept before the current one; nil keeps everything.
    let retentionMonths: Int?
    let monthsAhead: Int
    let interval: Duration
    let retryInterval: Duration
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(
        store: any EventRetentionStore, retentionMonths: Int?, monthsAhead: Int = 3, interval: Duration = .seconds(86_400),
        retryInterval: Duration = .seconds(60), logger: Logger, now: @escaping @Sendable () -> Int64 = collectorNow
    ) {
        self.store = store
        self.retentionMonths = retentionMonths
        self.monthsAhead = monthsAhead
        self.interval = interval
        self.retryInterval = retryInterval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // After the server's start-up migration, as a rule (the retry below covers a slow one).
            try? await Task.sleep(for: min(interval, .seconds(10)))
            while !Task.isCancelled {
                // The server migrates the store as it starts, beside this service: a pass that came
                // before the migration (no partition function yet) or hit a lost connection is
                // tried again in a minute, not tomorrow.
                let done = await runOnce()
                try? await Task.sleep(for: done ? interval : min(interval, retryInterval))
            }
        }
    }

    /// One pass; failures are logged. Answers whether everything in it succeeded.
    @discardableResult
    public func runOnce() async -> Bool {
        let t = now()
        var done = true
        do {
            let created = try await store.prepareEventPartitions(now: t, monthsAhead: monthsAhead)
            if !created.isEmpty {
                logger.info("event partitions created", metadata: ["partitions": "\(created.joined(separator: ","))"])
            }
        } catch {
            logger.backgroundPassFailed("event partition creation", error: error, detail: String(reflecting: error))
            done = false
        }
        guard let retentionMonths else { return done }
        do {
            let outcome = try await store.applyEventRetention(months: retentionMonths, now: t)
            logger.info(
                "event retention",
                metadata: [
                    "months": "\(retentionMonths)", "before": "\(EventMonth.label(outcome.cutoff))",
                    "dropped": "\(outcome.droppedPartitions.joined(separator: ","))", "deleted_rows": "\(outcome.deletedRows)",
                ])
        } catch {
            logger.backgroundPassFailed("event retention", error: error, detail: String(reflecting: error))
            done = false
        }
        return done
    }
}
