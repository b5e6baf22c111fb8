/// The recordings of called lessons (录像): one row per file nginx-rtmp recorded, from the
/// `on_record_done` hook through its conversion to MP4 to its deletion (retention or disk pressure).
///
/// - Important: every method is one transaction; times are milliseconds on the collector's clock.
///   A row is never removed: a deleted recording keeps its row with the date and the reason.
public protocol RecordingStore: Sendable {
    /// Stores `recording` as ``RecordingState/pending`` with `audit`; nil (nothing stored) when a
    /// recording of the same source file exists already.
    func insertRecording(_ recording: RecordingStart, at: Int64, audit: AuditEntry) async throws -> RecordingRecord?
    func recording(id: Int64) async throws -> RecordingRecord?
    /// The recordings of one order, newest first.
    func recordings(orderID: String) async throws -> [RecordingRecord]
    /// The recordings in `state`, oldest first (the converter's queue, the janitor's candidates).
    func recordings(state: RecordingState) async throws -> [RecordingRecord]
    /// A pending recording becomes ``RecordingState/ready`` with its MP4; false when it was not pending.
    func finishRecording(id: Int64, path: String, bytes: Int64, durationMillis: Int64?, at: Int64) async throws -> Bool
    /// A pending recording becomes ``RecordingState/failed`` with `reason` and `audit`; false when it was not pending.
    func failRecording(id: Int64, reason: String, at: Int64, audit: AuditEntry) async throws -> Bool
    /// A ready or failed recording becomes ``RecordingState/deleted`` with `reason` and `audit`
    /// (its files are the caller's to remove); false when it was neither.
    func deleteRecording(id: Int64, reason: RecordingDeleteReason, at: Int64, audit: AuditEntry) async throws -> Bool
    /// Deleted recordings, newest deletion first; only those deleted for `reason` when given.
    func recordingDeletions(reason: RecordingDeleteReason?, limit: Int) async throws -> [RecordingRecord]
    /// How many recordings are ready, and their bytes.
    func recordingTotals() async throws -> RecordingTotals
}

/// Where a recording is in its life.
public enum RecordingState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Reported by nginx-rtmp; the FLV waits for conversion.
    case pending
    /// Converted: the MP4 is playable.
    case ready
    /// ffmpeg could not convert it; the FLV is kept for inspection until it expires.
    case failed
    /// Its files are gone (see ``RecordingRecord/deleteReason``).
    case deleted
}

/// Why a recording was deleted.
public enum RecordingDeleteReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// Older than the retention period (`--recording-retention-days`).
    case retention
    /// The recordings' file system fell below `--recording-min-free`: the oldest went first.
    case diskPressure = "disk_pressure"
}

/// What the `on_record_done` hook learned.
public struct RecordingStart: Sendable, Hashable {
    public var orderID: String
    public var schoolID: String
    /// The stream name nginx reported: `lesson-<orderID>`, or `sha256:<hash>` of the key (a key is never stored).
    public var streamName: String
    /// The FLV nginx-rtmp wrote.
    public var sourcePath: String

    public init(orderID: String, schoolID: String, streamName: String, sourcePath: String) {
        self.orderID = orderID
        self.schoolID = schoolID
        self.streamName = streamName
        self.sourcePath = sourcePath
    }
}

/// One stored recording.
public struct RecordingRecord: Sendable, Hashable {
    public var id: Int64
    public var orderID: String
    public var schoolID: String
    public var streamName: String
    public var sourcePath: String
    /// The MP4, once converted.
    public var path: String?
    public var state: RecordingState
    /// Size of the MP4 (of the FLV while pending or failed).
    public var bytes: Int64
    public var durationMillis: Int64?
    /// ffmpeg's complaint when the conversion failed.
    public var failure: String?
    public var createdAt: Int64
    public var convertedAt: Int64?
    public var deletedAt: Int64?
    public var deleteReason: RecordingDeleteReason?

    public init(
        id: Int64, orderID: String, schoolID: String, streamName: String, sourcePath: String, path: String? = nil,
        state: RecordingState = .pending, bytes: Int64 = 0, durationMillis: Int64? = nil, failure: String? = nil,
        createdAt: Int64, convertedAt: Int64? = nil, deletedAt: Int64? = nil, deleteReason: RecordingDeleteReason? = nil
    ) {
        self.id = id
        self.orderID = orderID
        self.schoolID = schoolID
        self.streamName = streamName
        self.sourcePath = sourcePath
        self.path = path
        self.state = state
        self.bytes = bytes
        self.durationMillis = durationMillis
        self.failure = failure
        self.createdAt = createdAt
        self.convertedAt = convertedAt
        self.deletedAt = deletedAt
        self.deleteReason = deleteReason
    }
}

/// The ready recordings' count and bytes.
public struct RecordingTotals: Sendable, Hashable {
    public var count: Int
    public var bytes: Int64

    public init(count: Int, bytes: Int64) {
        self.count = count
        self.bytes = bytes
    }
}

/// The recordings' table, after the view log's migration.
enum RecordingSchema {
    static let migration = CollectorSchema.Migration(
        name: "v510-recordings",
        statements: [
            """
            CREATE TABLE recordings (id {SERIAL}, order_id TEXT NOT NULL, school_id TEXT NOT NULL, stream_name TEXT NOT NULL,
              source_path TEXT NOT NULL UNIQUE, path TEXT, state TEXT NOT NULL, bytes {INT} NOT NULL, duration_ms {INT},
              failure TEXT, created_at {INT} NOT NULL, converted_at {INT}, deleted_at {INT}, delete_reason TEXT)
            """,
            "CREATE INDEX recordings_order ON recordings (order_id, created_at)",
            "CREATE INDEX recordings_state ON recordings (state, created_at)",
        ])
}
