import ClassroomWire

extension Uploader {
    /// A fresh outbox replaced a corrupt one: an empty batch learns the collector's highest stored
    /// sequence number for this device, and the queue is renumbered above it before anything is sent.
    /// Returns true (there is more to do); on failure backs off and leaves the mark for the next try.
    func rebase(_ backoff: inout Backoff, _ rng: inout SystemRandomNumberGenerator) async throws -> Bool {
        let answer: CollectorAnswer<EventAck>
        do {
            answer = try await api.send(EventBatch(sentAt: outbox.clock.nowMillis(), events: []))
        } catch let error as CurlError where error.isCancelled {
            throw CancellationError()
        } catch {
            let delay = backoff.next(using: &rng)
            await record(error: "asking the collector's highest sequence number: \(error)", retryIn: delay)
            try await sleep(seconds: delay)
            return true
        }
        guard case .ok(let ack) = answer else {
            let delay = backoff.next(using: &rng)
            await record(error: "asking the collector's highest sequence number: \(answer)", retryIn: delay)
            try await sleep(seconds: delay)
            return true
        }
        do {
            let renumbered = try await outbox.rebase(above: ack.acknowledgedThrough)
            logger.notice(
                "fresh outbox renumbered above the collector's highest sequence number",
                metadata: ["collector_highest": "\(ack.acknowledgedThrough)", "renumbered": "\(renumbered)"])
            backoff.reset()
        } catch {
            let delay = backoff.next(using: &rng)
            await record(error: "renumbering the fresh outbox: \(error)", retryIn: delay)
            try await sleep(seconds: delay)
        }
        return true
    }
}
