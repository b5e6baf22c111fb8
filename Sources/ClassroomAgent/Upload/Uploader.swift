import ClassroomWire
import FoundationEssentials
import Logging
import ServiceLifecycle

/// Sends the outbox to the collector in batches; the cursor advances only on an ``EventAck``.
///
/// - Important: the first connect waits a random delay up to `firstConnectJitter` seconds; failures
///   back off exponentially with jitter; 429/503 answers wait their `Retry-After`.
public struct Uploader: Service {
    let outbox: Outbox
    let api: CollectorAPI
    let logger: Logger
    let firstConnectJitter: Double
    let backoffCap: Double

    public init(outbox: Outbox, api: CollectorAPI, logger: Logger, firstConnectJitter: Double, backoffCap: Double) {
        self.outbox = outbox
        self.api = api
        self.logger = logger
        self.firstConnectJitter = firstConnectJitter
        self.backoffCap = backoffCap
    }

    public func run() async throws {
        await cancelWhenGracefulShutdownOrReturn { try await loop() }
    }

    private func loop() async throws {
        var rng = SystemRandomNumberGenerator()
        var backoff = Backoff(base: 1, cap: backoffCap)
        if firstConnectJitter > 0 { try await sleep(seconds: Double.random(in: 0...firstConnectJitter, using: &rng)) }
        var wakeups = outbox.newEvents.makeAsyncIterator()
        while !Task.isCancelled {
            do {
                guard try await uploadOnce(&backoff, &rng) else {
                    _ = await wakeups.next()
                    continue
                }
            } catch let error as OutboxError {
                // Disk full or a database error: never end the service; report and retry.
                let delay = backoff.next(using: &rng)
                logger.error("outbox error while uploading", metadata: ["error": "\(error)", "retry_in_s": "\(delay)"])
                try await sleep(seconds: delay)
            }
        }
    }

    /// Sends one batch and acts on the answer; false when the outbox is empty.
    private func uploadOnce(_ backoff: inout Backoff, _ rng: inout SystemRandomNumberGenerator) async throws -> Bool {
        if await outbox.needsRebase { return try await rebase(&backoff, &rng) }
        let generation = await outbox.generation
        let batch = try await outbox.pending(limit: EventBatch.maximumEvents)
        guard let first = batch.first, let last = batch.last else { return false }
        let answer: CollectorAnswer<EventAck>
        do {
            answer = try await api.send(EventBatch(sentAt: outbox.clock.nowMillis(), events: batch))
        } catch let error as CurlError where error.isCancelled {
            throw CancellationError()
        } catch {
            let delay = backoff.next(using: &rng)
            await record(error: "\(error)", retryIn: delay)
            try await sleep(seconds: delay)
            return true
        }
        switch answer {
        case .ok(let ack):
            let through = min(ack.acknowledgedThrough, last.seq)
            if through >= first.seq { try await outbox.acknowledge(through: through, generation: generation) }
            await outbox.setMeta("last_upload", "\(outbox.clock.nowMillis())")
            await outbox.setMeta("clock_skew_ms", "\(ack.clockSkewMillis)")
            logger.debug(
                "uploaded", metadata: ["events": "\(batch.count)", "through": "\(through)", "duplicates": "\(ack.duplicates)"])
            if through < first.seq {
                // Acknowledged nothing of this batch: do not spin.
                try await sleep(seconds: backoff.next(using: &rng))
            } else {
                backoff.reset()
            }
        case .busy(let retryAfter):
            // Retry-After (already 0…3600 s) is a floor; the backoff still grows, so `Retry-After: 0` cannot spin.
            let delay = max(retryAfter ?? 0, backoff.next(using: &rng))
            logger.notice("collector is busy, retrying later", metadata: ["retry_in_s": "\(delay)"])
            try await sleep(seconds: delay)
        case .failed(let status, let message):
            let delay = backoff.next(using: &rng)
            await record(error: message, retryIn: delay)
            if status == 401 || status == 403 { logger.error("the collector refuses this device's credential; re-enroll") }
            try await sleep(seconds: delay)
        }
        return true
    }

    func record(error: String, retryIn delay: Double) async {
        logger.warning("upload failed, backing off", metadata: ["error": "\(error)", "retry_in_s": "\(delay)"])
        await outbox.setMeta("last_error", "\(outbox.clock.nowMillis()) \(error)")
    }
}

/// Sleeps `seconds` (cancellable); NaN and negative values sleep not at all, more than a day sleeps a day.
///
/// - Important: `seconds` may come from the network (`Retry-After`): `Int64(seconds * 1000)` must never
///   see an infinity or a value beyond `Int64`.
func sleep(seconds: Double) async throws {
    try await Task.sleep(for: .milliseconds(sleepMillis(seconds)))
}

/// The whole milliseconds ``sleep(seconds:)`` waits for `seconds`: 0…86,400,000, never a trap.
func sleepMillis(_ seconds: Double) -> Int64 {
    guard seconds.isFinite, seconds > 0 else { return seconds == .infinity ? 86_400_000 : 0 }
    return Int64(min(seconds, 86_400) * 1000)
}

/// Runs `body` until it returns or graceful shutdown cancels it; cancellation is a normal end.
func cancelWhenGracefulShutdownOrReturn(_ body: @escaping @Sendable () async throws -> Void) async {
    do {
        try await cancelWhenGracefulShutdown(body)
    } catch {
        // CancellationError on shutdown; anything else was already logged by the loop.
    }
}
