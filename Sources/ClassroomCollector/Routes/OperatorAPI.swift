import ClassroomWire
import Foundation
import Hummingbird

/// Operator routes: tokens, enrollment tokens, devices, commands and the audit log.
struct OperatorAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let dispatcher: CommandDispatcher
    let now: @Sendable () -> Int64
    /// A device heard from within this many milliseconds is online.
    let onlineWindow: Int64

    var auth: Authenticator { Authenticator(store: store, now: now) }
    static var everyone: Set<OperatorRole> { Set(OperatorRole.allCases) }
    static var managers: Set<OperatorRole> { [.bureauAdmin, .schoolAdmin] }

    func register(on router: Router<Context>) {
        let api = router.group("api/v1")
        api.post("tokens") { request, _ in try await createToken(request) }
        api.get("tokens") { request, _ in try await listTokens(request) }
        api.delete("tokens/:id") { request, context in try await revokeToken(request, id: context.parameters.require("id")) }
        api.post("enrollment-tokens") { request, _ in try await createEnrollmentToken(request) }
        api.get("devices") { request, _ in try await listDevices(request) }
        api.get("devices/:id") { request, context in try await showDevice(request, id: context.parameters.require("id")) }
        api.post("devices/:id/revoke") { request, context in
            try await revokeDevice(request, id: context.parameters.require("id"))
        }
        api.post("devices/:id/rotate") { request, context in
            try await rotateDevice(request, id: context.parameters.require("id"))
        }
        api.post("devices/:id/commands") { request, context in
            try await enqueueCommand(request, id: context.parameters.require("id"))
        }
        api.get("audit") { request, _ in try await audit(request) }
    }

    // MARK: Tokens

    func createToken(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        let body = try await JSONBody.decode(
            TokenCreateRequest.self, from: request, limit: 16 * 1024, allowedKeys: TokenCreateRequest.fields)
        try Validate.text(body.name, field: "name", max: 200)
        guard who.role.mayMint(body.role) else {
            throw APIError.forbidden("role \(who.role.rawValue) may not create a \(body.role.rawValue) token")
        }
        if body.role == .schoolAdmin {
            guard let school = body.schoolID else { throw APIError.badRequest("field 'school_id' is required for school_admin") }
            guard who.mayAccess(school: school) else { throw APIError.forbidden("school '\(school)' is not yours") }
            guard try await store.schoolExists(school) else {
                throw APIError.badRequest("field 'school_id': no school '\(school)' in the registry")
            }
        } else if body.schoolID != nil {
            throw APIError.badRequest("field 'school_id' is only for school_admin tokens")
        }
        let t = now()
        let expiresAt = try body.expiry(now: t)
        let secret = Secrets.make(prefix: SecretPrefix.operatorToken)
        let record = OperatorTokenRecord(
            id: Secrets.newID(), name: body.name, role: body.role, schoolID: body.schoolID, secretHash: Secrets.hash(secret),
            createdAt: t, createdBy: who.actor, expiresAt: expiresAt)
        try await store.insertOperatorToken(
            record,
            audit: AuditEntry(
                at: record.createdAt, actor: who.actor, action: "token.create", target: "token:\(record.id)",
                schoolID: record.schoolID,
                detail: "\(record.role.rawValue) '\(record.name)'" + (expiresAt.map { ", expires \($0)" } ?? "")))
        return try JSONBody.response(TokenView(record, secret: secret), status: .created)
    }

    func listTokens(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        let tokens = try await store.operatorTokens(schoolID: who.role == .schoolAdmin ? who.schoolID : nil)
        return try JSONBody.response(["tokens": tokens.map { TokenView($0) }])
    }

    func revokeToken(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        guard let token = try await store.operatorToken(id: id) else { throw APIError.notFound("no token '\(id)'") }
        guard who.role == .bureauAdmin || (token.role == .schoolAdmin && who.mayAccess(school: token.schoolID)) else {
            throw APIError.forbidden("role \(who.role.rawValue) may not revoke token '\(id)'")
        }
        let t = now()
        let done = try await store.revokeOperatorToken(
            id: id, at: t,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "token.revoke", target: "token:\(id)", schoolID: token.schoolID,
                detail: "\(token.role.rawValue) '\(token.name)'"))
        guard done else { throw APIError.conflict("token '\(id)' is already revoked") }
        return Response(status: .noContent)
    }

    // MARK: Enrollment tokens

    func createEnrollmentToken(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        let body = try await JSONBody.decode(
            EnrollmentTokenCreateRequest.self, from: request, limit: 16 * 1024,
            allowedKeys: EnrollmentTokenCreateRequest.fields)
        guard who.mayAccess(school: body.schoolID) else { throw APIError.forbidden("school '\(body.schoolID)' is not yours") }
        guard (1...10_000).contains(body.maxUses) else { throw APIError.badRequest("field 'max_uses' must be 1…10000") }
        guard (60...31_536_000).contains(body.expiresInSeconds) else {
            throw APIError.badRequest("field 'expires_in_seconds' must be 60…31536000 (one year)")
        }
        guard try await store.schoolExists(body.schoolID) else {
            throw APIError.badRequest("field 'school_id': no school '\(body.schoolID)' in the registry")
        }
        let secret = Secrets.make(prefix: SecretPrefix.enrollmentToken)
        let t = now()
        let record = EnrollmentTokenRecord(
            id: Secrets.newID(), schoolID: body.schoolID, secretHash: Secrets.hash(secret), maxUses: body.maxUses,
            expiresAt: t + body.expiresInSeconds * 1000, createdAt: t, createdBy: who.actor)
        try await store.insertEnrollmentToken(
            record,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "enrollment_token.create", target: "enrollment_token:\(record.id)",
                schoolID: record.schoolID, detail: "\(record.maxUses) uses, expires \(record.expiresAt)"))
        let view = EnrollmentTokenView(
            id: record.id, schoolID: record.schoolID, maxUses: record.maxUses, expiresAt: record.expiresAt, token: secret)
        return try JSONBody.response(view, status: .created)
    }
}
