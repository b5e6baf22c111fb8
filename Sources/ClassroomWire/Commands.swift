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
        /// Stop a running stream early.
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

    public init(id: String, kind: Kind, issuedAt: Int64, spotcheck: SpotCheckOrderPayload? = nil) {
        self.id = id
        self.kind = kind
        self.issuedAt = issuedAt
        self.spotcheck = spotcheck
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, spotcheck
        case issuedAt = "issued_at"
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

    public init(orderID: String, ingestURL: String, lessonStart: Int64, lessonEnd: Int64, teacherName: String, subject: String) {
        self.orderID = orderID
        self.ingestURL = ingestURL
        self.lessonStart = lessonStart
        self.lessonEnd = lessonEnd
        self.teacherName = teacherName
        self.subject = subject
    }

    enum CodingKeys: String, CodingKey {
        case subject
        case orderID = "order_id"
        case ingestURL = "ingest_url"
        case lessonStart = "lesson_start"
        case lessonEnd = "lesson_end"
        case teacherName = "teacher_name"
    }
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
