import ClassroomWire
import Foundation
import Hummingbird

extension OperatorAPI {
    // MARK: Devices

    func listDevices(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        var school = request.uri.queryParameters["school_id"].map(String.init)
        if who.role == .schoolAdmin {
            guard school == nil || school == who.schoolID else {
                throw APIError.forbidden("school '\(school ?? "")' is not yours")
            }
            school = who.schoolID
        }
        let offlineOnly: Bool
        switch request.uri.queryParameters["offline"].map(String.init) {
        case nil, "false", "0": offlineOnly = false
        case "true", "1": offlineOnly = true
        case let other?: throw APIError.badRequest("query 'offline' must be true or false, not '\(other)'")
        }
        let t = now()
        let views = try await store.devices(schoolID: school).map { DeviceView($0, now: t, onlineWindow: onlineWindow) }
            .filter { !offlineOnly || !$0.online }
        return try JSONBody.response(["devices": views])
    }

    /// The device `id` when the operator may see it: 404 when unknown, 403 when of another school.
    func accessibleDevice(_ who: OperatorPrincipal, id: String) async throws -> DeviceRecord {
        guard let device = try await store.device(id: id) else { throw APIError.notFound("no device '\(id)'") }
        guard who.mayAccess(school: device.schoolID) else {
            throw APIError.forbidden("device '\(id)' belongs to another school")
        }
        return device
    }

    func showDevice(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        let device = try await accessibleDevice(who, id: id)
        return try JSONBody.response(DeviceView(device, now: now(), onlineWindow: onlineWindow))
    }

    func revokeDevice(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        let device = try await accessibleDevice(who, id: id)
        let t = now()
        let done = try await store.revokeDevice(
            id: id, at: t,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "device.revoke", target: "device:\(id)", schoolID: device.schoolID,
                detail: device.hostname))
        guard done else { throw APIError.conflict("device '\(id)' is already revoked") }
        return Response(status: .noContent)
    }

    func rotateDevice(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        let device = try await accessibleDevice(who, id: id)
        let credential = Secrets.make(prefix: SecretPrefix.deviceCredential)
        let t = now()
        let done = try await store.rotateDeviceCredential(
            id: id, credentialHash: Secrets.hash(credential),
            audit: AuditEntry(
                at: t, actor: who.actor, action: "device.rotate", target: "device:\(id)", schoolID: device.schoolID,
                detail: device.hostname))
        guard done else { throw APIError.conflict("device '\(id)' is revoked") }
        return try JSONBody.response(RotatedCredential(deviceID: id, credential: credential))
    }

    func enqueueCommand(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        let device = try await accessibleDevice(who, id: id)
        let body = try await JSONBody.decode(
            CommandEnqueueRequest.self, from: request, limit: 16 * 1024, allowedKeys: CommandEnqueueRequest.fields)
        guard body.kind == .chime || body.kind == .inventoryRefresh else {
            throw APIError.badRequest(
                "field 'kind': operators may send chime or inventory_refresh; spot-checks come from the draw")
        }
        guard device.revokedAt == nil else { throw APIError.conflict("device '\(id)' is revoked") }
        let command = AgentCommand(id: Secrets.newID(), kind: body.kind, issuedAt: now())
        try await dispatcher.enqueue(
            command, for: id,
            audit: AuditEntry(
                at: command.issuedAt, actor: who.actor, action: "command.enqueue", target: "device:\(id)",
                schoolID: device.schoolID, detail: "\(body.kind.rawValue) \(command.id)"))
        return try JSONBody.response(command, status: .created)
    }

    // MARK: Audit

    func audit(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin, .auditor, .schoolAdmin])
        var limit = 100
        if let text = request.uri.queryParameters["limit"] {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw APIError.badRequest("query 'limit' must be 1…10000")
            }
            limit = value
        }
        let entries = try await operations.auditEntries(who: who, filter: AuditFilter(), limit: limit)
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
