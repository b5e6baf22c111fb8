/// The patrols (巡课) of the collector's database: which patrol order of a room is open, who opened
/// it, and when and why it ended. The order itself is a ``SpotCheckOrderRecord`` with `source`
/// `patrol`; who watched it and when is the view log's (``LessonViewStore``).
///
/// - Important: every method is one transaction; times are milliseconds on the collector's clock.
///   A room has at most one open patrol (a unique index; ``openPatrol(_:openedBy:at:audit:)`` joins it).
public protocol PatrolStore: Sendable {
    /// Ends the room's open patrol whose lesson is over (`lesson_over`), then answers the room's open
    /// patrol (``PatrolOpening/joined(_:)``), or stores `order` with its patrol and `audit`
    /// (``PatrolOpening/opened(_:)``).
    func openPatrol(_ order: SpotCheckOrderRecord, openedBy: String, at: Int64, audit: AuditEntry) async throws
        -> PatrolOpening
    func patrol(orderID: String) async throws -> PatrolRecord?
    /// Patrols not ended yet, oldest first.
    func openPatrols() async throws -> [PatrolRecord]
    /// Records the end of an open patrol with its audit entry; false when unknown or ended already.
    func endPatrol(orderID: String, at: Int64, reason: PatrolEndReason, audit: AuditEntry) async throws -> Bool
    /// Patrols opened in `from...through`, newest first; one school's when `schoolID` is given.
    func patrols(openedFrom from: Int64, through: Int64, schoolID: String?) async throws -> [PatrolRecord]
}

/// One patrol: its order, room and opener, and its end once over.
public struct PatrolRecord: Sendable, Hashable {
    public var orderID: String
    public var schoolID: String
    public var roomID: String
    /// The audit actor who opened it (`user:NAME`, `token:ID`).
    public var openedBy: String
    public var openedAt: Int64
    /// The end of the timetabled lesson: the patrol never outlives it.
    public var lessonEnd: Int64
    public var endedAt: Int64?
    public var endReason: PatrolEndReason?

    public init(
        orderID: String, schoolID: String, roomID: String, openedBy: String, openedAt: Int64, lessonEnd: Int64,
        endedAt: Int64? = nil, endReason: PatrolEndReason? = nil
    ) {
        self.orderID = orderID
        self.schoolID = schoolID
        self.roomID = roomID
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.lessonEnd = lessonEnd
        self.endedAt = endedAt
        self.endReason = endReason
    }
}

/// What ``PatrolStore/openPatrol(_:openedBy:at:audit:)`` did.
public enum PatrolOpening: Sendable, Hashable {
    /// The order was stored: a new patrol, to be dispatched.
    case opened(PatrolRecord)
    /// The room had an open patrol already: the viewer joins it (no second stream).
    case joined(PatrolRecord)
}

/// Why a patrol ended.
public enum PatrolEndReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// No viewer was seen within the idle gap after the start-up grace: the collector sent a stop.
    case noViewers = "no_viewers"
    /// The timetabled lesson ended (the agent stops by itself).
    case lessonOver = "lesson_over"
    /// A spot-check of the room started: the agent gives it the camera (the spot-check wins).
    case spotCheck = "spotcheck"
}

/// The patrol table, after the recordings' migration (`v510`) in ``CollectorSchema/migrations``.
enum PatrolSchema {
    static let migration = CollectorSchema.Migration(
        name: "v520-patrol",
        statements: [
            """
            CREATE TABLE patrols (order_id TEXT PRIMARY KEY, school_id TEXT NOT NULL, room_id TEXT NOT NULL,
              opened_by TEXT NOT NULL, opened_at {INT} NOT NULL, lesson_end {INT} NOT NULL, ended_at {INT}, end_reason TEXT)
            """,
            "CREATE UNIQUE INDEX patrols_open_room ON patrols (room_id) WHERE ended_at IS NULL",
            "CREATE INDEX patrols_opened ON patrols (opened_at)",
        ])
}
