import ClassroomWire
import Foundation
import Hummingbird

extension OperatorAPI {
    // MARK: Devices

    /// The device reads and actions this route shares with the console.
    var devices: DeviceQueries { DeviceQueries(store: store, now: now, onlineWindow: onlineWindow) }

    /// Every device the operator may see (`school_id`, `county`, `offline`, `outdated` filters), read through
    /// ``DeviceQueries``.
    func listDevices(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        var filter = DeviceQueries.Filter(schoolID: request.uri.queryParameters["school_id"].map(String.init))
        filter.county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
        filter.offline = try Self.booleanQuery(request, "offline")
        filter.outdated = try Self.booleanQuery(request, "outdated")
        let t = now()
        let page = try await devices.page(who, filter, after: nil, limit: Int(Int32.max))
        return try JSONBody.response(["devices": page.devices.map { DeviceView($0.device, now: t, onlineWindow: onlineWindow) }])
    }

    /// A `true`/`false` (or `1`/`0`) query parameter; absent is false.
    static func booleanQuery(_ request: Request, _ name: String) throws -> Bool {
        switch request.uri.queryParameters.get(name) {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let other?: throw APIError.badRequest("query '\(name)' must be true or false, not '\(other)'")
        }
    }

    /// The device `id` when the operator may see it: 404 when unknown, 403 when of another school.
    func accessibleDevice(_ who: OperatorPrincipal, id: String) async throws -> DeviceRecord {
        try await devices.device(who, id: id)
    }

    func showDevice(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        let device = try await devices.device(who, id: id)
        return try JSONBody.response(DeviceView(device, now: now(), onlineWindow: onlineWindow))
    }

    func revokeDevice(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        try await devices.revoke(who, id: id)
        return Response(status: .noContent)
    }

    func rotateDevice(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.managers)
        return try JSONBody.response(try await devices.rotate(who, id: id))
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
}
