import ClassroomCore

/// A weekly draw as stored: the commitment shown at draw time and the reveal kept secret until
/// ``revealedAt`` (it holds the salt).
public struct SpotCheckDrawRecord: Sendable, Hashable {
    /// `YYYY-Www`.
    public var week: String
    public var count: Int
    public var orderCount: Int
    public var shortfall: Int
    /// Hex SHA-256 published at draw time.
    public var commitment: String
    /// The whole reveal document (``ClassroomCore/SpotCheckReveal``) as JSON.
    public var reveal: String
    /// The rotation after this week (``ClassroomCore/SpotCheckRoundState``) as JSON: the next
    /// week's rotation before.
    public var roundsAfter: String
    public var drawnAt: Int64
    public var drawnBy: String
    public var revealedAt: Int64?

    public init(
        week: String, count: Int, orderCount: Int, shortfall: Int, commitment: String, reveal: String, roundsAfter: String,
        drawnAt: Int64, drawnBy: String, revealedAt: Int64? = nil
    ) {
        self.week = week
        self.count = count
        self.orderCount = orderCount
        self.shortfall = shortfall
        self.commitment = commitment
        self.reveal = reveal
        self.roundsAfter = roundsAfter
        self.drawnAt = drawnAt
        self.drawnBy = drawnBy
        self.revealedAt = revealedAt
    }
}

/// One called lesson: from the weekly draw (`source` `draw`) or from `spotcheck now` (`now`), with
/// what became of its dispatch, its stream and any excuse.
public struct SpotCheckOrderRecord: Sendable, Hashable {
    public var id: String
    public var week: String
    /// `draw` or `now`.
    public var source: String
    /// Position in the draw's order list (0 for `now`).
    public var position: Int
    public var round: Int
    public var teacherID: String
    public var teacherName: String
    public var schoolID: String
    public var roomID: String
    public var weekday: Int
    public var startMinute: Int
    public var endMinute: Int
    public var subject: String
    /// The lesson window on the collector's clock, milliseconds since 1970.
    public var lessonStart: Int64
    public var lessonEnd: Int64
    public var createdAt: Int64
    /// Set once dispatched (with or without a device).
    public var dispatchedAt: Int64?
    public var deviceID: String?
    public var commandID: String?
    /// `sent`, or why nothing was sent (`no_device`).
    public var dispatchNote: String?
    /// SHA-256 (hex) of the single-use stream key; the key itself only travels in the command.
    public var streamKeyHash: String?
    public var publishStartedAt: Int64?
    public var publishEndedAt: Int64?
    public var publishAddr: String?
    public var excusedAt: Int64?
    public var excusedBy: String?
    public var excuseReason: String?

    public init(
        id: String, week: String, source: String, position: Int, round: Int, teacherID: String, teacherName: String,
        schoolID: String, roomID: String, weekday: Int, startMinute: Int, endMinute: Int, subject: String,
        lessonStart: Int64, lessonEnd: Int64, createdAt: Int64
    ) {
        self.id = id
        self.week = week
        self.source = source
        self.position = position
        self.round = round
        self.teacherID = teacherID
        self.teacherName = teacherName
        self.schoolID = schoolID
        self.roomID = roomID
        self.weekday = weekday
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.subject = subject
        self.lessonStart = lessonStart
        self.lessonEnd = lessonEnd
        self.createdAt = createdAt
    }
}

/// What the dispatcher decided for one order.
public struct SpotCheckDispatch: Sendable, Hashable {
    public var deviceID: String?
    public var commandID: String?
    public var streamKeyHash: String?
    /// `sent` or `no_device`.
    public var note: String

    public init(deviceID: String?, commandID: String?, streamKeyHash: String?, note: String) {
        self.deviceID = deviceID
        self.commandID = commandID
        self.streamKeyHash = streamKeyHash
        self.note = note
    }
}

/// A stored draw without its reveal (at the province 64 MB, stored as gzip): what the scheduler, the
/// next week's draw, the week's view and the console read.
public struct SpotCheckDrawSummary: Sendable, Hashable {
    /// `YYYY-Www`.
    public var week: String
    public var count: Int
    /// Hex SHA-256 published at draw time.
    public var commitment: String
    /// As ``SpotCheckDrawRecord/roundsAfter``.
    public var roundsAfter: String
    public var revealedAt: Int64?

    public init(week: String, count: Int, commitment: String, roundsAfter: String, revealedAt: Int64?) {
        self.week = week
        self.count = count
        self.commitment = commitment
        self.roundsAfter = roundsAfter
        self.revealedAt = revealedAt
    }
}
