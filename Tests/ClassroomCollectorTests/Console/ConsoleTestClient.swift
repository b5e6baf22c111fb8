import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// A collector with the test registry (county name with markup, to check escaping), a clock the
/// test moves, and a cheap bcrypt cost.
struct ConsoleHarness: Sendable {
    let base: CollectorHarness

    static let county = "<script>alert(1)</script>县"

    static func make(_ store: any CollectorStore) async throws -> ConsoleHarness {
        let harness = try await CollectorHarness.make(store)
        let schools = TestRegistry.schools.replacingOccurrences(of: "鲁甸县", with: "\"\(county)\"")
        var files = TestRegistry.files()
        files["schools.csv"] = Array(schools.utf8)
        _ = try await store.replaceRegistry(
            try RegistryLoader.load(files).registry,
            audit: AuditEntry(at: 0, actor: "test", action: "registry.import", target: "registry", schoolID: nil, detail: ""))
        return ConsoleHarness(base: harness)
    }

    var store: any CollectorStore { base.store }
    var clock: TestClock { base.clock }

    func application() -> some ApplicationProtocol {
        var logger = Logger(label: "console-test")
        logger.logLevel = .warning
        let clock = clock
        var configuration = CollectorConfiguration(port: 0, databaseURL: "test")
        configuration.profilesDirectory = CollectorHarness.profiles
        configuration.console.bcryptCost = 4
        return CollectorServer.application(
            store: store, notifier: base.notifier, configuration: configuration, logger: logger, now: { clock.now })
    }

    /// A user made through the same code as the CLI and /admin.
    func user(_ name: String, role: OperatorRole, school: String? = nil, password: String = "correct horse") async throws {
        let clock = clock
        _ = try await ConsoleUsers(store: store, now: { clock.now }, cost: 4).create(
            username: name, password: password, role: role, schoolID: school, actor: "test")
    }
}

/// A browser-like client over `app.test(.router)`: keeps cookies, posts forms.
final class ConsoleTestClient: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        var location: String? { headers[.location] }
        /// The value of `<input … name="NAME" value="…">` (the first).
        func field(_ name: String) -> String? {
            guard let range = body.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    func get(_ path: String) async throws -> Page { try await send(.get, path, body: nil) }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> Page {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.post, path, body: body)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(
            uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// Opens /login and signs in with `fields` (token or username/password); returns the answer.
    @discardableResult
    func signIn(_ fields: [(String, String)], next: String = "/") async throws -> Page {
        let form = try await get("/login?next=\(Self.encode(next))")
        return try await post("/login", [("csrf", form.field("csrf") ?? ""), ("next", next)] + fields)
    }

    /// The CSRF token of the signed-in session, read from the page's sign-out form.
    func csrf() async throws -> String {
        let page = try await get("/admin")
        return page.field("csrf") ?? ""
    }
}
