/// Wakes the ``RecordingConversionService`` when the `on_record_done` hook stored a recording. The
/// queue itself is the `recordings` table (state `pending`), so nothing is lost when the collector
/// stops mid-conversion: the service converts what is pending when it starts.
public final class RecordingQueue: Sendable {
    let wakes: AsyncStream<Void>
    let continuation: AsyncStream<Void>.Continuation

    public init() {
        // One buffered wake is enough: the service converts everything pending on each.
        (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a conversion pass (never blocks).
    public func wake() { continuation.yield() }

    /// Ends the stream of wakes (the service returns).
    func finish() { continuation.finish() }
}
