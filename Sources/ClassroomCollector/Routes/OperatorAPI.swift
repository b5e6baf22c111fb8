import ClassroomWire
import Foundation
import Hummingbird

/// Operator routes: enrollment tokens, devices and commands (operator tokens and the audit log:
/// ``OperatorTokenAPI``).
struct OperatorAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let dispatcher: CommandDispatcher
    let now: @Sendable () -> Int64
    /// A device heard from within this many milliseconds is online.
    let onlineWindow: Int64

    var auth: Authenticator { Authenticator(store: store, now: now) }
    static var everyone: Set<OperatorRole> { OperatorRole.readers }
    static var managers: Set<OperatorRole> { [.bureauAdmin, .schoolAdmin] }

    func register(on router: Router<Context>) {
        let api = router.group("api/v1")
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
    }

    var operations: OperatorOperations { OperatorOperations(store: store, now: now) }

    // MARK: Enrollment tokens

    func createEnrollmentToken(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        let body = try await JSONBody.decode(
            EnrollmentTokenCreateRequest.self, from: request, limit: 16 * 1024,
            allowedKeys: EnrollmentTokenCreateRequest.fields)
        let made = try await operations.createEnrollmentToken(
            who: who, schoolID: body.schoolID, maxUses: body.maxUses, expiresInSeconds: body.expiresInSeconds)
        let view = EnrollmentTokenView(
            id: made.record.id, schoolID: made.record.schoolID, maxUses: made.record.maxUses,
            expiresAt: made.record.expiresAt, token: made.secret)
        return try JSONBody.response(view, status: .created)
    }
}
