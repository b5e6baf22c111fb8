import Logging
import ServiceLifecycle

/// Runs ``SpotCheckDispatcher/dispatchDue(now:logger:)`` every `interval` until graceful shutdown.
public struct SpotCheckDispatchService: Service {
    let dispatcher: SpotCheckDispatcher
    let interval: Duration
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(dispatcher: SpotCheckDispatcher, logger: Logger, now: @escaping @Sendable () -> Int64 = collectorNow) {
        self.dispatcher = dispatcher
        self.interval = dispatcher.configuration.dispatchInterval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            // The first pass waits one interval: the server migrates the store as it starts.
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    try await dispatcher.dispatchDue(now: now(), logger: logger)
                } catch {
                    logger.backgroundPassFailed("spot-check dispatch pass", error: error)
                }
            }
        }
    }
}
