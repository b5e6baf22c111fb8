import Logging
import ServiceLifecycle

/// Evaluates the alerts shortly after start (the server migrates the store first) and then every
/// ``AlertConfiguration/evaluationInterval`` until graceful shutdown; a failed evaluation is logged
/// and the next one tries again.
public struct AlertEvaluationService: Service {
    let evaluation: AlertEvaluation
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(
        evaluation: AlertEvaluation, interval: Duration, logger: Logger, now: @escaping @Sendable () -> Int64 = collectorNow
    ) {
        self.evaluation = evaluation
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        let first = min(interval, .seconds(10))
        await cancelWhenGracefulShutdown {
            var wait = first
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                if Task.isCancelled { break }
                await evaluate()
                wait = interval
            }
        }
    }

    func evaluate() async {
        do {
            try await evaluation.run(now: now())
        } catch {
            logger.backgroundPassFailed("alert evaluation", error: error)
        }
    }
}
