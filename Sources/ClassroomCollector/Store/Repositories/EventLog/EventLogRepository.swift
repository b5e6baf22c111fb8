/// The agents' events, stored once per `(device_id, seq)` as the agent sent them. Storing a batch
/// also keeps the read models derived from it (hardware, coverage, spot-check order facts) in the
/// same transaction, so the readers of ``CoverageReadModelRepository`` and the spot-check results
/// never scan this log.
public protocol EventLogRepository: Sendable {
    /// Stores events not stored before (by `(deviceID, seq)`) in one batched write.
    func appendEvents(_ events: [StoredEvent]) async throws -> AppendOutcome
    /// One upload in one go: stores new events, records the device as seen with its clock skew,
    /// and returns the counts with the device's highest stored `seq` (the ingest hot path).
    func ingest(_ events: [StoredEvent], deviceID: String, at: Int64, clockSkewMillis: Int64) async throws -> IngestOutcome
    /// The highest stored `seq` of a device, 0 when none.
    func highestEventSeq(deviceID: String) async throws -> Int64
    /// Stored events of a device in `seq` order (for reports and tests).
    func events(deviceID: String, afterSeq: Int64, limit: Int) async throws -> [StoredEvent]
    /// Events of the given kinds, all devices, whose corrected time `at` is in `from...through`,
    /// ordered by device, `at`, `seq`.
    func events(kinds: [String], from: Int64, through: Int64) async throws -> [StoredEvent]
    /// The events of ``events(kinds:from:through:)``, in no particular order, folded into `state` one
    /// by one as the database returns them, never all held at once.
    func reduceEvents<State: Sendable>(
        kinds: [String], from: Int64, through: Int64, into state: State,
        _ update: @escaping @Sendable (inout State, StoredEvent) throws -> Void
    ) async throws -> State
    /// The `usage_minute` events whose corrected time is in `from...through`, in no particular order,
    /// reduced to ``UsageMinuteRow`` by the database; bodies missing a field are left out.
    func reduceUsageMinutes<State: Sendable>(
        from: Int64, through: Int64, into state: State, _ update: @escaping @Sendable (inout State, UsageMinuteRow) throws -> Void
    ) async throws -> State
}

/// The coverage report's read models (``CoverageReadModel``), kept by ``EventLogRepository`` at ingest.
public protocol CoverageReadModelRepository: Sendable {
    /// The read models of the window `from...through` (corrected time): per device its latest contact,
    /// latest inventory and active usage minutes, exactly what folding the window's events would give,
    /// without reading an event body.
    func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window
}

/// Counts of an event append.
public struct AppendOutcome: Sendable, Hashable {
    public var inserted: Int
    public var duplicates: Int

    public init(inserted: Int, duplicates: Int) {
        self.inserted = inserted
        self.duplicates = duplicates
    }
}

/// Result of ``EventLogRepository/ingest(_:deviceID:at:clockSkewMillis:)``.
public struct IngestOutcome: Sendable, Hashable {
    public var appended: AppendOutcome
    public var highestSeq: Int64

    public init(appended: AppendOutcome, highestSeq: Int64) {
        self.appended = appended
        self.highestSeq = highestSeq
    }
}
