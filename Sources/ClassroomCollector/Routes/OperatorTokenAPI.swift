import ClassroomWire
import Foundation
import Hummingbird

/// `POST/GET /api/v1/tokens`, `DELETE /api/v1/tokens/:id` and `GET /api/v1/audit[?limit=N&county=NAME]`:
/// operator tokens and the audit log, on the repositories they use alone (``OperatorRepositories``),
/// so that route tests run them on ``InMemoryRepositories``.
struct OperatorTokenAPI<Context: RequestContext>: Sendable {
    let store: any OperatorRepositories
    /// Enrolled devices, so that a device credential here is 403 rather than 401 (``Authenticator``);
    /// nil where none can be enrolled.
    let devices: (any DeviceRepository)?
    let now: @Sendable () -> Int64

    /// On the whole store, as the collector registers it.
    init(store: any CollectorStore, now: @escaping @Sendable () -> Int64) {
        self.init(repositories: store, devices: store, now: now)
    }

    init(repositories: any OperatorRepositories, devices: (any DeviceRepository)?, now: @escaping @Sendable () -> Int64) {
        self.store = repositories
        self.devices = devices
        self.now = now
    }

    var auth: Authenticator { Authenticator(tokens: store, devices: devices, now: now) }
    var operations: OperatorTokenOperations { OperatorTokenOperations(store: store, now: now) }

    func register(on router: Router<Context>) {
        let api = router.group("api/v1")
        api.post("tokens") { request, _ in try await createToken(request) }
        api.get("tokens") { request, _ in try await listTokens(request) }
        api.delete("tokens/:id") { request, context in try await revokeToken(request, id: context.parameters.require("id")) }
        api.get("audit") { request, _ in try await audit(request) }
    }

    // MARK: Tokens

    func createToken(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: OperatorTokenOperations.managers)
        let body = try await JSONBody.decode(
            TokenCreateRequest.self, from: request, limit: 16 * 1024, allowedKeys: TokenCreateRequest.fields)
        let made = try await operations.createToken(
            who: who, name: body.name, role: body.role, schoolID: body.schoolID, county: body.county,
            expiresAt: try body.expiry(now: now()))
        return try JSONBody.response(TokenView(made.record, secret: made.secret), status: .created)
    }

    func listTokens(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: OperatorTokenOperations.managers)
        return try JSONBody.response(["tokens": try await operations.tokens(who: who).map { TokenView($0) }])
    }

    func revokeToken(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: OperatorTokenOperations.managers)
        try await operations.revokeToken(who: who, id: id)
        return Response(status: .noContent)
    }

    // MARK: Audit

    func audit(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: OperatorTokenOperations.auditReaders)
        var limit = 100
        if let text = request.uri.queryParameters["limit"] {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw APIError.badRequest("query 'limit' must be 1…10000")
            }
            limit = value
        }
        let county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
        let entries = try await operations.auditEntries(who: who, filter: AuditFilter(), county: county, limit: limit)
        return try JSONBody.response(["entries": entries.map(AuditView.init)])
    }
}

/// An audit entry as listed.
struct AuditView: Codable, Sendable {
    var at: Int64
    var actor: String
    var action: String
    var target: String
    var schoolID: String?
    var detail: String

    init(_ e: AuditEntry) {
        at = e.at
        actor = e.actor
        action = e.action
        target = e.target
        schoolID = e.schoolID
        detail = e.detail
    }

    enum CodingKeys: String, CodingKey {
        case at, actor, action, target, detail
        case schoolID = "school_id"
    }
}
