/// The view log (听课/巡课记录): who watched which lesson, how (live, recording, patrol), from when to
/// when. It is the audit of every view and the one source of "who is watching now" (a patrol stream
/// stops when its last viewer is gone) and of the observation quotas (听课 per principal per week).
///
/// A view is kept alive by the viewer's requests (every HLS playlist or segment, every recording
/// range): ``touchLessonView(_:at:idleMillis:audit:)`` extends the viewer's open view of that lesson
/// or, after `idleMillis` of silence, starts a new one (and writes its audit entry).
///
/// - Important: every method is one transaction; times are milliseconds on the collector's clock.
public protocol LessonViewStore: Sendable {
    /// Extends `view.viewer`'s latest view of `view.orderID` in `view.mode` when its `lastSeenAt` is
    /// at or after `at - idleMillis`; otherwise stores `view` as a new view (started and last seen at
    /// `at`) with `audit`. Returns the view as stored now.
    func touchLessonView(_ view: LessonViewStart, at: Int64, idleMillis: Int64, audit: AuditEntry) async throws
        -> LessonViewRecord
    /// Views of one lesson, oldest first.
    func lessonViews(orderID: String) async throws -> [LessonViewRecord]
    /// Views that started in `from...through`, oldest first; one school's lessons when `schoolID` is given.
    func lessonViews(startedFrom from: Int64, through: Int64, schoolID: String?) async throws -> [LessonViewRecord]
    /// How many distinct viewers of `orderID` were seen at or after `since` (any mode).
    func activeLessonViewers(orderID: String, since: Int64) async throws -> Int
}

/// How a lesson is watched.
public enum LessonViewMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// The live HLS stream of a called lesson.
    case live
    /// The recording, after the lesson.
    case recording
    /// A patrol view (巡课) opened by an observer or principal during a timetabled lesson.
    case patrol
}

/// Who starts watching what.
public struct LessonViewStart: Sendable, Hashable {
    public var orderID: String
    /// The audit actor of the viewer (`user:<name>` or `token:<id>`).
    public var viewer: String
    public var viewerName: String
    public var viewerRole: OperatorRole
    /// The viewer's own school (school admins), nil for county-wide roles.
    public var viewerSchoolID: String?
    /// The lesson's school and room.
    public var schoolID: String
    public var roomID: String
    public var mode: LessonViewMode

    public init(
        orderID: String, viewer: String, viewerName: String, viewerRole: OperatorRole, viewerSchoolID: String?,
        schoolID: String, roomID: String, mode: LessonViewMode
    ) {
        self.orderID = orderID
        self.viewer = viewer
        self.viewerName = viewerName
        self.viewerRole = viewerRole
        self.viewerSchoolID = viewerSchoolID
        self.schoolID = schoolID
        self.roomID = roomID
        self.mode = mode
    }
}

/// One stored view: a ``LessonViewStart`` with its id and time span.
public struct LessonViewRecord: Sendable, Hashable {
    public var id: Int64
    public var start: LessonViewStart
    public var startedAt: Int64
    public var lastSeenAt: Int64

    public init(id: Int64, start: LessonViewStart, startedAt: Int64, lastSeenAt: Int64) {
        self.id = id
        self.start = start
        self.startedAt = startedAt
        self.lastSeenAt = lastSeenAt
    }

    /// How long the view lasted, in milliseconds.
    public var durationMillis: Int64 { lastSeenAt - startedAt }
}

/// The view log's table, after the device directory's migration.
enum LessonViewSchema {
    static let migration = CollectorSchema.Migration(
        name: "v500-lesson-views",
        statements: [
            """
            CREATE TABLE lesson_views (id {SERIAL}, order_id TEXT NOT NULL, viewer TEXT NOT NULL, viewer_name TEXT NOT NULL,
              viewer_role TEXT NOT NULL, viewer_school_id TEXT, school_id TEXT NOT NULL, room_id TEXT NOT NULL,
              mode TEXT NOT NULL, started_at {INT} NOT NULL, last_seen_at {INT} NOT NULL)
            """,
            "CREATE INDEX lesson_views_order ON lesson_views (order_id, viewer, mode, last_seen_at)",
            "CREATE INDEX lesson_views_started ON lesson_views (started_at)",
        ])
}
