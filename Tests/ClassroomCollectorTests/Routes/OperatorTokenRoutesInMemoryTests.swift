import ClassroomCore
import ClassroomWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClassroomCollector

/// Where the token, audit and registry routes run: a router of only those route groups on
/// ``InMemoryRepositories`` (no database), or the whole collector on SQLite — the same assertions on
/// both, so the in-memory routes answer exactly as the collector does.
enum TokenRouteBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite
    var testDescription: String { rawValue }
}

/// The route client of one test, the repositories behind it, its clock and the bootstrap bureau admin's secret.
struct TokenRouteFixture: Sendable {
    var repositories: any OperatorRepositories
    var clock: TestClock
    var adminToken: String
}

/// `POST/GET /api/v1/tokens`, `DELETE /api/v1/tokens/:id`, `GET /api/v1/audit` and `/api/v1/registry`
/// driven over HTTP (`.router`) on ``InMemoryRepositories`` with only ``OperatorTokenAPI`` and
/// ``RegistryAPI`` registered, and on the SQLite-backed collector for comparison.
@Suite("Operator token routes in memory")
struct OperatorTokenRoutesInMemoryTests {
    /// The registry put into the repositories, and the bootstrap admin token (id `admin`) stored
    /// directly, as ``CollectorHarness`` does.
    static func seed(_ repositories: any OperatorRepositories) async throws -> String {
        _ = try await repositories.replaceRegistry(
            try TestRegistry.registry(),
            audit: AuditEntry(at: 0, actor: "test", action: "registry.import", target: "registry", schoolID: nil, detail: ""))
        let secret = Secrets.make(prefix: SecretPrefix.operatorToken)
        try await repositories.insertOperatorToken(
            OperatorTokenRecord(
                id: "admin", name: "bootstrap", role: .bureauAdmin, schoolID: nil, secretHash: Secrets.hash(secret), createdAt: 0,
                createdBy: nil),
            audit: AuditEntry(at: 0, actor: "test", action: "token.create", target: "token:admin", schoolID: nil, detail: ""))
        return secret
    }

    /// A router with only the token, audit and registry route groups over `repositories`, with the
    /// collector's error bodies.
    static func application(_ repositories: InMemoryRepositories, clock: TestClock) -> some ApplicationProtocol {
        let router = Router(context: CollectorRequestContext.self)
        router.middlewares.add(APIErrorMiddleware())
        OperatorTokenAPI<CollectorRequestContext>(repositories: repositories, devices: nil, now: { clock.now })
            .register(on: router)
        RegistryAPI<CollectorRequestContext>(
            repositories: repositories, devices: nil, now: { clock.now }, importLimit: 1024 * 1024
        ).register(on: router)
        var logger = Logger(label: "in-memory-routes")
        logger.logLevel = .warning
        return Application(router: router, logger: logger)
    }

    /// Runs `body` against the routes of `backend`, seeded alike.
    static func withRoutes(
        _ backend: TokenRouteBackend, _ body: @Sendable @escaping (any TestClientProtocol, TokenRouteFixture) async throws -> Void
    ) async throws {
        switch backend {
        case .memory:
            let repositories = InMemoryRepositories()
            let fixture = TokenRouteFixture(
                repositories: repositories, clock: TestClock(), adminToken: try await seed(repositories))
            try await application(repositories, clock: fixture.clock).test(.router) { client in try await body(client, fixture) }
        case .sqlite:
            try await withStore(.sqlite) { store in
                let h = try await CollectorHarness.make(store)
                let fixture = TokenRouteFixture(repositories: store, clock: h.clock, adminToken: h.adminToken)
                try await h.application().test(.router) { client in try await body(client, fixture) }
            }
        }
    }

    static func tokens(_ answer: Answer) -> [[String: Any]] { answer.json["tokens"] as? [[String: Any]] ?? [] }
    static func entries(_ answer: Answer) -> [[String: Any]] { answer.json["entries"] as? [[String: Any]] ?? [] }

    @Test(
        "mint a school admin (201, secret once), refuse an unknown school (400), list scoped, revoke (204, then 401), audited",
        arguments: TokenRouteBackend.allCases)
    func lifecycle(backend: TokenRouteBackend) async throws {
        try await Self.withRoutes(backend) { client, f in
            let made = try await client.call(
                .post, "/api/v1/tokens", token: f.adminToken, json: ["role": "school_admin", "name": "龙树校长", "school_id": "S1"])
            #expect(made.status == .created, "\(made.text)")
            let secret = try #require(made.json["token"] as? String)
            let id = try #require(made.json["id"] as? String)
            #expect(secret.hasPrefix(SecretPrefix.operatorToken))
            #expect(made.json["role"] as? String == "school_admin")
            #expect(made.json["school_id"] as? String == "S1")
            #expect(made.json["created_at"] as? Int == Int(f.clock.now))
            // Stored by the hash of its secret, never the secret.
            let stored = try #require(try await f.repositories.operatorToken(secretHash: Secrets.hash(secret)))
            #expect(stored.id == id)
            #expect(stored.createdBy == "token:admin")
            #expect(try await f.repositories.operatorToken(secretHash: secret) == nil)

            // A school that is not in the registry: the same refusal on both backends, nothing stored.
            let unknown = try await client.call(
                .post, "/api/v1/tokens", token: f.adminToken, json: ["role": "school_admin", "name": "幽灵", "school_id": "S9"])
            #expect(unknown.status == .badRequest, "\(unknown.text)")
            #expect(unknown.error?.error == "invalid_request")
            #expect(unknown.error?.message == "field 'school_id': no school 'S9' in the registry")
            #expect(try await f.repositories.operatorTokens(schoolID: "S9").isEmpty)

            let s2 = try await client.token(.schoolAdmin, school: "S2", admin: f.adminToken)
            let s2ID = try #require(try await f.repositories.operatorToken(secretHash: Secrets.hash(s2))?.id)
            // A school admin may not mint for another school.
            let other = try await client.call(
                .post, "/api/v1/tokens", token: secret, json: ["role": "school_admin", "name": "x", "school_id": "S2"])
            #expect(other.status == .forbidden, "\(other.text)")
            #expect(other.error?.message == "school 'S2' is not yours")

            // The bureau admin lists every token; a school admin its school's; no secret is listed.
            let all = Self.tokens(try await client.call(.get, "/api/v1/tokens", token: f.adminToken))
            #expect(Set(all.compactMap { $0["school_id"] as? String }) == ["S1", "S2"])
            #expect(all.count == 3)
            #expect(all.first?["id"] as? String == "admin")
            #expect(all.allSatisfy { $0["token"] == nil })
            let own = Self.tokens(try await client.call(.get, "/api/v1/tokens", token: secret))
            #expect(own.compactMap { $0["id"] as? String } == [id])
            #expect(Self.tokens(try await client.call(.get, "/api/v1/tokens", token: s2)).count == 1)

            // The school admin's audit listing: its school's entries only.
            let s1Audit = Self.entries(try await client.call(.get, "/api/v1/audit", token: secret))
            #expect(s1Audit.compactMap { $0["target"] as? String } == ["token:\(id)"])

            f.clock.advance(seconds: 60)
            let revoked = try await client.call(.delete, "/api/v1/tokens/\(id)", token: f.adminToken)
            #expect(revoked.status == .noContent, "\(revoked.text)")
            #expect(try await f.repositories.operatorToken(id: id)?.revokedAt == f.clock.now)
            let refused = try await client.call(.get, "/api/v1/tokens", token: secret)
            #expect(refused.status == .unauthorized)
            #expect(refused.error?.message == "unknown or revoked operator token")
            #expect(refused.headers[.wwwAuthenticate] == "Bearer")
            let again = try await client.call(.delete, "/api/v1/tokens/\(id)", token: f.adminToken)
            #expect(again.status == .conflict)
            #expect(again.error?.message == "token '\(id)' is already revoked")
            #expect(try await client.call(.delete, "/api/v1/tokens/nope", token: f.adminToken).status == .notFound)
            let listedAfter = Self.tokens(try await client.call(.get, "/api/v1/tokens", token: f.adminToken))
            #expect(listedAfter.first { $0["id"] as? String == id }?["revoked_at"] as? Int == Int(f.clock.now))
            #expect(listedAfter.first { $0["id"] as? String == s2ID }?["revoked_at"] == nil)

            // Newest first: the revoke, the two creations through the API, then the seed's.
            let audit = Self.entries(try await client.call(.get, "/api/v1/audit", token: f.adminToken))
            let listed = audit.map { "\($0["action"] as? String ?? "?") \($0["target"] as? String ?? "?")" }
            #expect(Array(listed.prefix(2)) == ["token.revoke token:\(id)", "token.create token:\(s2ID)"])
            #expect(listed.contains("token.create token:\(id)"))
            #expect(listed.suffix(2) == ["token.create token:admin", "registry.import registry"])
            #expect(audit.count == 5)
            let revokeEntry = try #require(audit.first)
            #expect(revokeEntry["actor"] as? String == "token:admin")
            #expect(revokeEntry["school_id"] as? String == "S1")
            #expect(revokeEntry["detail"] as? String == "school_admin '龙树校长'")
            #expect(revokeEntry["at"] as? Int == Int(f.clock.now))
            // ?limit= pages the same listing.
            #expect(Self.entries(try await client.call(.get, "/api/v1/audit?limit=1", token: f.adminToken)).count == 1)
            #expect(try await client.call(.get, "/api/v1/audit?limit=0", token: f.adminToken).status == .badRequest)
        }
    }

    @Test(
        "missing, malformed, unknown and expired bearers are 401; roles that may not are 403",
        arguments: TokenRouteBackend.allCases)
    func authentication(backend: TokenRouteBackend) async throws {
        try await Self.withRoutes(backend) { client, f in
            let unknown = SecretPrefix.operatorToken + "not-a-token"
            for (header, message) in [
                (nil, "missing 'Authorization: Bearer <operator token>'"),
                ("Bearer", "missing 'Authorization: Bearer <operator token>'"),
                ("Basic \(f.adminToken)", "missing 'Authorization: Bearer <operator token>'"),
                ("Bearer garbage", "this route takes an operator token (cfo_…)"),
                // A device credential no device holds (none is enrolled in either): not an operator token.
                ("Bearer \(SecretPrefix.deviceCredential)unknown", "this route takes an operator token (cfo_…)"),
                ("Bearer \(unknown)", "unknown or revoked operator token"),
            ] {
                var headers: HTTPFields = [:]
                if let header { headers[.authorization] = header }
                for path in ["/api/v1/tokens", "/api/v1/audit", "/api/v1/registry"] {
                    let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
                    let answer = Answer(status: response.status, body: Data(buffer: response.body), headers: response.headers)
                    #expect(answer.status == .unauthorized, "\(path) with \(header ?? "no header"): \(answer.text)")
                    #expect(answer.error?.message == message, "\(path) with \(header ?? "no header"): \(answer.text)")
                }
            }
            let minted = try await client.call(
                .post, "/api/v1/tokens", token: nil, json: ["role": "bureau_admin", "name": "anonymous"])
            #expect(minted.status == .unauthorized)

            // Readers: a bureau viewer may read the registry, not tokens nor the audit log; an auditor the audit log.
            let viewer = try await client.token(.bureauViewer, admin: f.adminToken)
            let auditor = try await client.token(.auditor, admin: f.adminToken)
            for (token, method, path, status) in [
                (viewer, HTTPRequest.Method.get, "/api/v1/tokens", HTTPResponse.Status.forbidden),
                (viewer, .post, "/api/v1/tokens", .forbidden),
                (viewer, .delete, "/api/v1/tokens/admin", .forbidden),
                (viewer, .get, "/api/v1/audit", .forbidden),
                (viewer, .get, "/api/v1/registry", .ok),
                (viewer, .put, "/api/v1/registry", .forbidden),
                (auditor, .get, "/api/v1/tokens", .forbidden),
                (auditor, .get, "/api/v1/audit", .ok),
            ] {
                let json: [String: Any]? = method == .get ? nil : ["role": "bureau_viewer", "name": "x"]
                let answer = try await client.call(method, path, token: token, json: json)
                #expect(answer.status == status, "\(method) \(path): \(answer.text)")
                if status == .forbidden {
                    #expect(answer.error?.message.hasPrefix("role ") == true, "\(answer.text)")
                }
            }
            // The admin token still exists: the viewer's DELETE changed nothing.
            #expect(try await f.repositories.operatorToken(id: "admin")?.revokedAt == nil)

            // A token past its expiry is 401 from that instant.
            let expiring = try await client.call(
                .post, "/api/v1/tokens", token: f.adminToken, json: ["role": "bureau_viewer", "name": "brief", "expires_in": 60])
            let brief = try #require(expiring.json["token"] as? String)
            #expect(try await client.call(.get, "/api/v1/registry", token: brief).status == .ok)
            f.clock.advance(seconds: 60)
            let expired = try await client.call(.get, "/api/v1/registry", token: brief)
            #expect(expired.status == .unauthorized)
            #expect(expired.error?.message == "operator token expired")
        }
    }

    @Test(
        "a registry imported over PUT /api/v1/registry decides which schools tokens may be minted for",
        arguments: TokenRouteBackend.allCases)
    func registryDecidesSchools(backend: TokenRouteBackend) async throws {
        try await Self.withRoutes(backend) { client, f in
            let smaller = TestRegistry.files(
                rooms: TestRegistry.rooms.split(separator: "\n").filter { !$0.hasPrefix("R3,") }.joined(separator: "\n"))
            var files = smaller
            files["schools.csv"] = Array(
                TestRegistry.schools.split(separator: "\n").filter { !$0.hasPrefix("S2,") }.joined(separator: "\n").utf8)
            files["teachers.csv"] = Array(
                TestRegistry.teachers.split(separator: "\n").filter { !$0.contains(",S2,") }.joined(separator: "\n").utf8)
            files["timetable.csv"] = Array(
                TestRegistry.timetable.split(separator: "\n").filter { !$0.hasPrefix("S2,") }.joined(separator: "\n").utf8)
            let imported = try await client.call(
                .put, "/api/v1/registry", token: f.adminToken, json: RegistryImportTests.body(files))
            #expect(imported.status == .ok, "\(imported.text)")
            let replaced = imported.json["replaced"] as? [String: Any]
            #expect(replaced?["schools"] as? Int == 1)
            #expect(replaced?["rooms"] as? Int == 2)
            #expect(replaced?["devices_unbound"] as? Int == 0)
            #expect(try await !f.repositories.schoolExists("S2"))
            let summary = try await client.call(.get, "/api/v1/registry", token: f.adminToken)
            #expect(summary.json["schools"] as? Int == 1, "\(summary.text)")

            let gone = try await client.call(
                .post, "/api/v1/tokens", token: f.adminToken, json: ["role": "school_admin", "name": "x", "school_id": "S2"])
            #expect(gone.status == .badRequest)
            #expect(gone.error?.message == "field 'school_id': no school 'S2' in the registry")
            #expect(try await client.token(.schoolAdmin, school: "S1", admin: f.adminToken).hasPrefix(SecretPrefix.operatorToken))
            let audit = Self.entries(try await client.call(.get, "/api/v1/audit?limit=2", token: f.adminToken))
            #expect(audit.compactMap { $0["action"] as? String } == ["token.create", "registry.import"])
            #expect(audit.last?["actor"] as? String == "token:admin")
        }
    }
}
