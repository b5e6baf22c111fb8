import ClassroomCollector
import ClassroomWire
import Foundation
import HummingbirdTesting

/// The seeded state the route matrix fills path parameters from: devices of school A (S1), and a
/// secret for every kind of caller.
struct RouteMatrixFixture: Sendable {
    /// Every caller of the matrix.
    enum Caller: String, CaseIterable, Sendable {
        case bureauAdmin, bureauViewer, schoolAdminA, schoolAdminB, auditor, countyAdmin, countyAdminOther, device, revoked
        case invalid, anonymous

        var role: OperatorRole? {
            switch self {
            case .bureauAdmin: .bureauAdmin
            case .bureauViewer: .bureauViewer
            case .schoolAdminA, .schoolAdminB: .schoolAdmin
            case .auditor: .auditor
            case .countyAdmin, .countyAdminOther: .countyAdmin
            case .device, .revoked, .invalid, .anonymous: nil
            }
        }
    }

    var secrets: [Caller: String]
    /// The S1 device whose credential is `device`; the target of read and command routes.
    var deviceID: String
    /// An S1 device the matrix revokes and rotates.
    var victimDeviceID: String
    /// An S1 school-admin token the matrix revokes.
    var victimTokenID: String
    var enrollToken: String

    func secret(_ caller: Caller) -> String? { secrets[caller] }

    static func make(_ client: some TestClientProtocol, admin: String, store: any CollectorStore) async throws
        -> RouteMatrixFixture
    {
        let device = try await client.enroll(room: "R1", school: "S1", admin: admin)
        let victim = try await client.enroll(room: "R2", school: "S1", admin: admin)
        var secrets: [Caller: String] = [.bureauAdmin: admin, .device: device.credential]
        secrets[.bureauViewer] = try await client.token(.bureauViewer, admin: admin)
        secrets[.auditor] = try await client.token(.auditor, admin: admin)
        // The API mints no county admin; the server's CLI writes it to the store like this.
        secrets[.countyAdmin] = try await CountyAdminTests.token(store, county: "鲁甸县")
        // A county with no school in the registry: every school-scoped target is outside its scope.
        secrets[.countyAdminOther] = try await CountyAdminTests.token(store, county: "巧家县")
        secrets[.schoolAdminA] = try await client.token(.schoolAdmin, school: "S1", admin: admin)
        secrets[.schoolAdminB] = try await client.token(.schoolAdmin, school: "S2", admin: admin)
        secrets[.invalid] = SecretPrefix.operatorToken + "not-a-real-token"
        let revoked = try await create(client, admin: admin, ["role": "bureau_admin", "name": "revoked"])
        secrets[.revoked] = revoked.secret
        let gone = try await client.call(.delete, "/api/v1/tokens/\(revoked.id)", token: admin)
        guard gone.status == .noContent else { throw TestFailure("revoke: \(gone.status) \(gone.text)") }
        let victimToken = try await create(client, admin: admin, ["role": "school_admin", "name": "victim", "school_id": "S1"])
        let enrollment = try await client.call(
            .post, "/api/v1/enrollment-tokens", token: admin,
            json: ["school_id": "S1", "max_uses": 1000, "expires_in_seconds": 3600])
        guard let enrollToken = enrollment.json["token"] as? String else { throw TestFailure("enrollment: \(enrollment.text)") }
        return RouteMatrixFixture(
            secrets: secrets, deviceID: device.deviceID, victimDeviceID: victim.deviceID, victimTokenID: victimToken.id,
            enrollToken: enrollToken)
    }

    private static func create(_ client: some TestClientProtocol, admin: String, _ body: [String: String]) async throws -> (
        id: String, secret: String
    ) {
        let answer = try await client.call(.post, "/api/v1/tokens", token: admin, json: body)
        guard let id = answer.json["id"] as? String, let secret = answer.json["token"] as? String else {
            throw TestFailure("token: \(answer.status) \(answer.text)")
        }
        return (id, secret)
    }

    /// The request URI of an operation: path parameters from the fixture, plus required query parameters.
    func fill(_ path: String, for key: String) -> String {
        var uri = path
        if key.hasPrefix("DELETE /api/v1/tokens/") {
            uri = uri.replacingOccurrences(of: "{id}", with: victimTokenID)
        } else if key.hasSuffix("/revoke") || key.hasSuffix("/rotate") {
            uri = uri.replacingOccurrences(of: "{id}", with: victimDeviceID)
        } else if key.contains("/spotcheck/orders/") {
            uri = uri.replacingOccurrences(of: "{id}", with: "no-such-order")
        }
        uri = uri.replacingOccurrences(of: "{id}", with: deviceID).replacingOccurrences(of: "{week}", with: "2026-W48")
        if key == "GET /api/v1/agent/commands" { uri += "?wait=0" }
        if key.contains("/media/") { uri += "?secret=wrong" }
        return uri
    }

    /// A body with its placeholders filled.
    func fill(body: String) -> String {
        body.replacingOccurrences(of: "{enroll_token}", with: enrollToken).replacingOccurrences(
            of: "{public_key}", with: Data(repeating: 9, count: 32).base64EncodedString())
    }

    /// A JSON body as an object (nil for none or a form body).
    func object(_ body: String?) -> [String: Any]? {
        guard let body else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(fill(body: body).utf8))) as? [String: Any]
    }

    /// Counts that rejected writes must leave alone: tokens, devices, events of the device, audit entries.
    static func counts(_ store: any CollectorStore, device: String) async throws -> [Int] {
        [
            try await store.operatorTokens(schoolID: nil).count, try await store.devices(schoolID: nil).count,
            try await store.events(deviceID: device, afterSeq: 0, limit: 100_000).count,
            try await store.auditLog(schoolID: nil, limit: 100_000).count,
        ]
    }
}
