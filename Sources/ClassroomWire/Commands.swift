/// Answer to the long-poll `GET /api/v1/agent/commands?wait=SECONDS`.
public struct CommandList: Codable, Sendable, Hashable {
    public var commands: [AgentCommand]

    public init(commands: [AgentCommand]) { self.commands = commands }
}

/// A command for one device. It is returned by every poll until acknowledged.
public struct AgentCommand: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable {
        /// Chime, show the notice and stream the lesson (payload: ``SpotCheckOrderPayload``).
        case spotcheckStart = "spotcheck_start"
        /// Stop a running stream early: the one of ``AgentCommand/orderID`` when given (a patrol that
        /// lost its viewers), else whatever streams (collectors before patrols sent no order id).
        case spotcheckStop = "spotcheck_stop"
        /// Send a fresh inventory snapshot.
        case inventoryRefresh = "inventory_refresh"
        /// Play the chime (a test from the bureau or school).
        case chime
    }

    public var id: String
    public var kind: Kind
    /// Collector clock, milliseconds since 1970.
    public var issuedAt: Int64
    public var spotcheck: SpotCheckOrderPayload?
    /// `spotcheck_stop` only: the order whose stream is to end; nil (and absent on the wire) stops any.
    public var orderID: String?

    public init(
        id: String, kind: Kind, issuedAt: Int64, spotcheck: SpotCheckOrderPayload? = nil, orderID: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.issuedAt = issuedAt
        self.spotcheck = spotcheck
        self.orderID = orderID
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, spotcheck
        case issuedAt = "issued_at"
        case orderID = "order_id"
    }
}

/// What a room needs to stream a called lesson.
public struct SpotCheckOrderPayload: Codable, Sendable, Hashable {
    public var orderID: String
    /// Full RTMP URL including the single-use key, such as `rtmp://ingest/live/KEY`.
    public var ingestURL: String
    /// Lesson window on the collector's clock, milliseconds since 1970.
    public var lessonStart: Int64
    public var lessonEnd: Int64
    public var teacherName: String
    public var subject: String
    /// Why the room streams; nil (absent on the wire, as from collectors before patrols) is a spot-check.
    public var purpose: SpotCheckPurpose?

    public init(
        orderID: String, ingestURL: String, lessonStart: Int64, lessonEnd: Int64, teacherName: String, subject: String,
        purpose: SpotCheckPurpose? = nil
    ) {
        self.orderID = orderID
        self.ingestURL = ingestURL
        self.lessonStart = lessonStart
        self.lessonEnd = lessonEnd
        self.teacherName = teacherName
        self.subject = subject
        self.purpose = purpose
    }

    /// Whether this is a patrol view (巡课), which a spot-check preempts.
    public var isPatrol: Bool { purpose == .patrol }

    /// Whether this is the weekly self-test publish (自检推流) outside lesson time: no chime, no notice.
    public var isSelfTest: Bool { purpose == .selftest }

    enum CodingKeys: String, CodingKey {
        case subject, purpose
        case orderID = "order_id"
        case ingestURL = "ingest_url"
        case lessonStart = "lesson_start"
        case lessonEnd = "lesson_end"
        case teacherName = "teacher_name"
    }
}

/// Why a room is asked to stream: `spotcheck` (a called lesson, the default), `patrol` (巡课, a
/// principal or teaching researcher looking in during a timetabled lesson) or `selftest` (自检推流, the
/// collector's weekly check of a recording room outside lesson time).
///
/// - Important: a struct over its raw string, not an enum, so that a purpose added by a newer
///   collector still decodes (and is treated as a spot-check) instead of failing the whole command.
public struct SpotCheckPurpose: RawRepresentable, Codable, Sendable, Hashable {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let spotcheck = SpotCheckPurpose(rawValue: "spotcheck")
    public static let patrol = SpotCheckPurpose(rawValue: "patrol")
    /// A short publish outside lesson time that proves the room can stream; never shown as a lesson.
    /// - Important: agents older than this purpose treat it as a spot-check (chime and notice).
    public static let selftest = SpotCheckPurpose(rawValue: "selftest")
}

/// Body of `POST /api/v1/agent/commands/ack`.
public struct CommandAckRequest: Codable, Sendable, Hashable {
    public var ids: [String]

    public init(ids: [String]) { self.ids = ids }
}

/// The error body of every non-2xx answer of `/api/v1`.
public struct APIErrorBody: Codable, Sendable, Hashable {
    /// A stable machine-readable code such as `invalid_request`, `unauthorized`, `forbidden`.
    public var error: String
    /// A human message naming the field or request at fault.
    public var message: String

    public init(error: String, message: String) {
        self.error = error
        self.message = message
    }
}
