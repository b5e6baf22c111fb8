import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// A settable collector clock for tests (milliseconds since 1970).
final class TestClock: Sendable {
    private let value = Mutex<Int64>(1_790_000_000_000)
    var now: Int64 { value.withLock { $0 } }
    func advance(seconds: Int64) { value.withLock { $0 += seconds * 1000 } }
    func set(_ millis: Int64) { value.withLock { $0 = millis } }
}

/// A collector over one store with the test registry imported and a bootstrap bureau admin.
struct CollectorHarness: Sendable {
    let store: any CollectorStore
    let notifier = CommandNotifier()
    let clock = TestClock()
    let adminToken: String

    /// The repository's shipped target profiles.
    static let profiles = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/profiles").path

    static func make(_ store: any CollectorStore) async throws -> CollectorHarness {
        _ = try await store.replaceRegistry(
            try TestRegistry.registry(),
            audit: AuditEntry(at: 0, actor: "test", action: "registry.import", target: "registry", schoolID: nil, detail: ""))
        let secret = Secrets.make(prefix: SecretPrefix.operatorToken)
        try await store.insertOperatorToken(
            OperatorTokenRecord(
                id: "admin", name: "bootstrap", role: .bureauAdmin, schoolID: nil, secretHash: Secrets.hash(secret), createdAt: 0,
                createdBy: nil),
            audit: AuditEntry(at: 0, actor: "test", action: "token.create", target: "token:admin", schoolID: nil, detail: ""))
        return CollectorHarness(store: store, adminToken: secret)
    }

    func application(maximumWait: Int = 30, agentLimits: AgentLimits = AgentLimits()) -> some ApplicationProtocol {
        var logger = Logger(label: "collector-test")
        logger.logLevel = .warning
        let clock = clock
        var configuration = CollectorConfiguration(port: 0, databaseURL: "test", maximumWait: maximumWait)
        configuration.profilesDirectory = Self.profiles
        configuration.agentLimits = agentLimits
        return CollectorServer.application(
            store: store, notifier: notifier, configuration: configuration, logger: logger,
            now: { clock.now })
    }
}

/// A JSON answer: status and body.
struct Answer: Sendable {
    var status: HTTPResponse.Status
    var body: Data
    var headers: HTTPFields

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: body) }
    var error: APIErrorBody? { try? decode(APIErrorBody.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: Any? = nil, raw: Data? = nil)
        async throws -> Answer
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json { body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) }
        if let raw { body = ByteBuffer(bytes: raw) }
        let response = try await execute(uri: uri, method: method, headers: headers, body: body)
        return Answer(status: response.status, body: Data(buffer: response.body), headers: response.headers)
    }

    func send<T: Encodable>(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: T) async throws -> Answer {
        try await call(method, uri, token: token, raw: try JSONEncoder().encode(body))
    }

    /// Creates an operator token through the API and returns its secret.
    func token(_ role: OperatorRole, school: String? = nil, admin: String) async throws -> String {
        var body: [String: Any] = ["role": role.rawValue, "name": "\(role.rawValue) \(school ?? "")"]
        if let school { body["school_id"] = school }
        let answer = try await call(.post, "/api/v1/tokens", token: admin, json: body)
        guard answer.status == .created, let token = answer.json["token"] as? String else {
            throw TestFailure("token create failed: \(answer.status) \(answer.text)")
        }
        return token
    }

    /// Creates an enrollment token and enrolls a device in `room`; returns the enroll answer.
    func enroll(room: String, school: String, admin: String) async throws -> EnrollResponse {
        let created = try await call(
            .post, "/api/v1/enrollment-tokens", token: admin,
            json: ["school_id": school, "max_uses": 5, "expires_in_seconds": 3600])
        guard let token = created.json["token"] as? String else { throw TestFailure("enrollment token: \(created.text)") }
        let key = Data(repeating: 7, count: 32).base64EncodedString()
        let answer = try await send(
            .post, AgentRoutes.enroll,
            body: EnrollRequest(token: token, roomID: room, publicKey: key, hostname: "pc-\(room)", agentVersion: "0.1.0"))
        guard answer.status == .created else { throw TestFailure("enroll: \(answer.status) \(answer.text)") }
        return try answer.decode(EnrollResponse.self)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
