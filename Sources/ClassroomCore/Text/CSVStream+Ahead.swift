import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension CSVStream {
    /// Bytes of records in one hand-off of ``scanAhead(_:window:batchBytes:_:)``: small next to the
    /// window (three batches are in flight), large enough that the hand-offs cost nothing per record.
    static let aheadBatchBytes = 1 << 18

    /// ``scan(_:window:_:)`` with the reading, the decoding and the scanning on a thread of their own,
    /// up to two batches of records ahead of `body`: the same events in the same order and the same
    /// outcome, `body` called on the caller's thread. For a province's timetable the scan is a sixth of
    /// the work and the checks of the rows the rest; with two cores they overlap.
    ///
    /// Each record's bytes and spans are copied into a batch (about `batchBytes` of records; a longer
    /// record gets a batch of its own size), so what `body` sees stays valid while the scan goes on.
    /// When no thread can be started the scan runs on the caller's thread, as ``scan(_:window:_:)``.
    static func scanAhead(
        _ source: inout some ByteSource, window: Int = defaultWindow, batchBytes: Int = aheadBatchBytes,
        _ body: (Event) -> Void
    ) -> Outcome {
        precondition(batchBytes >= 1, "a batch needs room for a byte")
        return withUnsafeMutablePointer(to: &source) { source in
            let pipe = AheadPipe(batchBytes: batchBytes)
            defer { pipe.deallocate() }
            let producer = AheadProducer {
                var current = pipe.take()
                let outcome = CSVStream.scan(&source.pointee, window: window) { event in
                    switch event {
                    case .record(let row):
                        if !current.fits(row) {
                            pipe.hand()
                            current = pipe.take()
                            current.reserve(for: row)
                        }
                        current.append(row)
                    case .progress(let rawBytes): current.items.append(.progress(rawBytes: rawBytes))
                    case .restart: current.items.append(.restart)
                    }
                }
                current.outcome = outcome
                pipe.hand()
            }
            guard let thread = producer.start() else {
                return CSVStream.scan(&source.pointee, window: window, body)
            }
            defer { producer.join(thread) }
            while true {
                let batch = pipe.next()
                let text = UnsafeBufferPointer(start: batch.bytes, count: batch.bytesCount)
                for item in batch.items {
                    switch item {
                    case .record(let line, let firstSpan, let spanCount):
                        body(
                            .record(
                                CSVRecordView(
                                    line: line, bytes: text,
                                    spans: UnsafeBufferPointer(start: batch.spans + firstSpan, count: spanCount))))
                    case .progress(let rawBytes): body(.progress(rawBytes: rawBytes))
                    case .restart: body(.restart)
                    }
                }
                if let outcome = batch.outcome { return outcome }
                pipe.give(batch)
            }
        }
    }
}

/// Records copied out of the scan's window for ``CSVStream/scanAhead(_:window:batchBytes:_:)``: their bytes,
/// their spans (rebased onto ``bytes``) and the events in order.
private final class AheadBatch {
    enum Item {
        case record(line: Int, firstSpan: Int, spanCount: Int)
        case progress(rawBytes: Int)
        case restart
    }

    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var bytesCapacity: Int
    private(set) var bytesCount = 0
    private(set) var spans: UnsafeMutablePointer<CSVFieldSpan>
    private var spansCapacity: Int
    private var spansCount = 0
    var items: [Item] = []
    /// Set on the last batch: how the scan ended.
    var outcome: CSVStream.Outcome?

    /// Fields of a timetable average about 7 bytes with their comma: a sixth of the bytes in spans
    /// leaves room for narrower ones before a batch is handed on early.
    init(bytes: Int) {
        bytesCapacity = bytes
        self.bytes = .allocate(capacity: bytes)
        spansCapacity = max(16, bytes / 6)
        spans = .allocate(capacity: spansCapacity)
        items.reserveCapacity(max(16, bytes / 16))
    }

    func deallocate() {
        bytes.deallocate()
        spans.deallocate()
    }

    /// Where `row`'s fields start and end in the scanned text (a record has at least one field).
    private static func extent(_ row: CSVRecordView) -> Range<Int> {
        row.spans.isEmpty ? 0..<0 : row.spans[0].start..<row.spans[row.spans.count - 1].end
    }

    func fits(_ row: CSVRecordView) -> Bool {
        bytesCount + Self.extent(row).count <= bytesCapacity && spansCount + row.spans.count <= spansCapacity
    }

    /// Room for `row` in this (empty) batch, however long it is.
    func reserve(for row: CSVRecordView) {
        let length = Self.extent(row).count
        if length > bytesCapacity {
            bytes.deallocate()
            bytesCapacity = length
            bytes = .allocate(capacity: length)
        }
        if row.spans.count > spansCapacity {
            spans.deallocate()
            spansCapacity = row.spans.count
            spans = .allocate(capacity: spansCapacity)
        }
    }

    /// Copies `row` in; it fits (``fits(_:)``, ``reserve(for:)``).
    func append(_ row: CSVRecordView) {
        let extent = Self.extent(row)
        if !extent.isEmpty {
            (bytes + bytesCount).update(from: row.bytes.baseAddress! + extent.lowerBound, count: extent.count)
        }
        let shift = bytesCount - extent.lowerBound
        for (k, span) in row.spans.enumerated() {
            (spans + spansCount + k).initialize(
                to: CSVFieldSpan(start: span.start + shift, end: span.end + shift, escaped: span.escaped))
        }
        items.append(.record(line: row.line, firstSpan: spansCount, spanCount: row.spans.count))
        bytesCount += extent.count
        spansCount += row.spans.count
    }

    func reset() {
        bytesCount = 0
        spansCount = 0
        items.removeAll(keepingCapacity: true)
    }
}

/// Three batches going round between the scanning thread and the caller's: the scan fills one
/// (``take()``, ``hand()``) while the caller reads another (``next()``, ``give(_:)``).
private final class AheadPipe: @unchecked Sendable {
    static let batches = 3
    private let slots: [AheadBatch]
    /// Batches handed on and not yet read; empty ones.
    private let full = DispatchSemaphore(value: 0)
    private let empty = DispatchSemaphore(value: AheadPipe.batches)
    // Each count is kept by one thread only; the semaphores order the batches' contents.
    private var taken = 0
    private var read = 0
    private var given = 0

    init(batchBytes: Int) {
        slots = (0..<Self.batches).map { _ in AheadBatch(bytes: batchBytes) }
    }

    /// Once the scanning thread has ended: libdispatch traps when a semaphore is released with a value
    /// below its initial one, so the batches not given back are counted back in.
    func deallocate() {
        for _ in given..<taken { empty.signal() }
        for slot in slots { slot.deallocate() }
    }

    /// The scanning thread's next empty batch (waits while the caller reads the others).
    func take() -> AheadBatch {
        empty.wait()
        defer { taken += 1 }
        return slots[taken % Self.batches]
    }

    /// Hands the batch last taken to the caller.
    func hand() { full.signal() }

    /// The caller's next filled batch, in the order they were handed on.
    func next() -> AheadBatch {
        full.wait()
        defer { read += 1 }
        return slots[read % Self.batches]
    }

    func give(_ batch: AheadBatch) {
        batch.reset()
        given += 1
        empty.signal()
    }
}

/// The scanning thread of ``CSVStream/scanAhead(_:window:batchBytes:_:)``: a POSIX thread, joined
/// before the scan returns (so `run` may use what the caller's frame holds).
private final class AheadProducer: @unchecked Sendable {
    private let run: () -> Void

    init(_ run: @escaping () -> Void) { self.run = run }

    #if canImport(Glibc) || canImport(Musl)
        typealias Thread = pthread_t

        /// The thread running `run`, or nil when none could be started.
        func start() -> Thread? {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let started = pthread_create(
                &thread, nil,
                { context in
                    Unmanaged<AheadProducer>.fromOpaque(context!).takeRetainedValue().run()
                    return nil
                }, context)
            guard started == 0 else {
                Unmanaged<AheadProducer>.fromOpaque(context).release()
                return nil
            }
            return thread
        }

        func join(_ thread: Thread) { pthread_join(thread, nil) }
    #else
        typealias Thread = Never

        func start() -> Thread? { nil }
        func join(_ thread: Thread) {}
    #endif
}
