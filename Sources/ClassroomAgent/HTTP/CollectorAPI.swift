import ClassroomWire
import FoundationEssentials

/// How the collector answered a request.
public enum CollectorAnswer<T: Sendable>: Sendable {
    case ok(T)
    /// 429 or 503: wait `retryAfter` seconds (nil: the caller's backoff) and try again.
    case busy(retryAfter: Double?)
    /// Any other non-2xx answer, with the collector's error body when it sent one.
    case failed(status: Int, message: String)
}

/// The agent-facing routes of the collector (``AgentRoutes``), JSON over ``HTTPClient``.
public struct CollectorAPI: Sendable {
    public let baseURL: String
    public let credential: String?
    let client: HTTPClient
    let timeoutSeconds: Int
    let clock: AgentClock

    /// `clock` is the agent's clock (for `Retry-After` given as an HTTP-date).
    public init(baseURL: String, credential: String?, client: HTTPClient, timeoutSeconds: Int, clock: AgentClock = .system) {
        self.clock = clock
        self.baseURL = baseURL
        self.credential = credential
        self.client = client
        self.timeoutSeconds = timeoutSeconds
    }

    private func request<Response: Decodable & Sendable>(
        _ method: String, _ path: String, body: (some Encodable)?, extraTimeout: Int = 0, as: Response.Type
    ) async throws -> CollectorAnswer<Response> {
        var headers: [String: String] = ["Accept": "application/json"]
        if let credential { headers["Authorization"] = "Bearer \(credential)" }
        let bytes = try body.map { Array(try JSONEncoder().encode($0)) }
        let response = try await client.send(
            method, baseURL + path, headers: headers, body: bytes, timeoutSeconds: timeoutSeconds + extraTimeout)
        switch response.status {
        case 200..<300:
            do {
                return .ok(try JSONDecoder().decode(Response.self, from: Data(response.body)))
            } catch {
                return .failed(status: response.status, message: "\(method) \(path): undecodable answer: \(error)")
            }
        case 429, 503:
            return .busy(retryAfter: response.retryAfterSeconds(now: clock.nowMillis()))
        default:
            let apiError = try? JSONDecoder().decode(APIErrorBody.self, from: Data(response.body))
            let text = apiError.map { "\($0.error): \($0.message)" } ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            return .failed(status: response.status, message: "\(method) \(path): HTTP \(response.status) \(text)")
        }
    }

    /// `POST` ``AgentRoutes/enroll``.
    public func enroll(_ request: EnrollRequest) async throws -> CollectorAnswer<EnrollResponse> {
        try await self.request("POST", AgentRoutes.enroll, body: request, as: EnrollResponse.self)
    }

    /// `POST` ``AgentRoutes/events``.
    public func send(_ batch: EventBatch) async throws -> CollectorAnswer<EventAck> {
        try await request("POST", AgentRoutes.events, body: batch, as: EventAck.self)
    }

    /// The long-poll `GET` ``AgentRoutes/commands```?wait=`, decoded item by item (``ReceivedCommandList``).
    public func commands(wait: Int) async throws -> CollectorAnswer<ReceivedCommandList> {
        try await request(
            "GET", AgentRoutes.commands + "?wait=\(wait)", body: Optional<EnrollRequest>.none, extraTimeout: wait,
            as: ReceivedCommandList.self)
    }

    /// `POST` ``AgentRoutes/commandsAck``.
    public func acknowledgeCommands(_ ids: [String]) async throws -> CollectorAnswer<EmptyAnswer> {
        try await request("POST", AgentRoutes.commandsAck, body: CommandAckRequest(ids: ids), as: EmptyAnswer.self)
    }
}

/// Any JSON object (the body of answers whose content the agent does not need).
public struct EmptyAnswer: Decodable, Sendable {
    public init(from decoder: any Decoder) throws {}
}
