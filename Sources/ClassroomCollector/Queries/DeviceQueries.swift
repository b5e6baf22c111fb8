import ClassroomCore
import ClassroomWire
import Foundation

/// Device reads and actions, shared by `/api/v1/devices…` and the console's device pages.
struct DeviceQueries: Sendable {
    let store: any CollectorStore
    let now: @Sendable () -> Int64
    /// A device heard from within this many milliseconds is online.
    let onlineWindow: Int64

    static var everyone: Set<OperatorRole> { OperatorRole.readers }
    static var managers: Set<OperatorRole> { [.bureauAdmin, .schoolAdmin] }

    /// The filters of the device list.
    struct Filter: Sendable, Hashable {
        var schoolID: String?
        /// Only devices of this county's schools (`county=`).
        var county: String?
        var offline = false
        var noCamera = false
        var noMicrophone = false
        var outdated = false
    }

    /// One page of the devices `who` may see, filtered in the database.
    func page(_ who: OperatorPrincipal, _ filter: Filter, after: String?, limit: Int) async throws -> DevicePage {
        try who.require(Self.everyone)
        var q = try await query(who, school: filter.schoolID, county: filter.county, limit: limit)
        q.after = after
        q.noCamera = filter.noCamera
        q.noMicrophone = filter.noMicrophone
        if filter.offline { q.offlineBefore = now() - onlineWindow }
        if filter.outdated { q.agentVersions = try await outdatedVersions(schoolID: nil) }
        return try await store.devicePage(q)
    }

    /// Unrevoked devices `who` may see that were not heard from since `since` (or never), for alerts.
    func longOffline(_ who: OperatorPrincipal, since: Int64, limit: Int) async throws -> DevicePage {
        try who.require(Self.everyone)
        var q = try await query(who, school: nil, county: nil, limit: limit)
        q.offlineBefore = since
        q.activeOnly = true
        return try await store.devicePage(q)
    }

    /// Unrevoked devices per school `who` may see, with how many are online now.
    func counts(_ who: OperatorPrincipal) async throws -> [String: DeviceCounts] {
        try who.require(Self.everyone)
        let counts = try await store.deviceCounts(schoolID: try who.schoolScope(asked: nil), onlineSince: now() - onlineWindow)
        guard let scope = who.roleSchools else { return counts }
        return counts.filter { scope.contains($0.key) }
    }

    /// A device query limited to the schools `who` may list (``OperatorPrincipal/listScope(school:county:store:)``).
    func query(_ who: OperatorPrincipal, school: String?, county: String?, limit: Int) async throws -> DevicePageQuery {
        var q = DevicePageQuery(limit: limit)
        if let scope = try await who.listScope(school: school, county: county, store: store) {
            if scope.count == 1 { q.schoolID = scope.first } else { q.schoolIDs = scope.sorted() }
        }
        return q
    }

    /// Versions older than the newest one any enrolled device of the county reports (in dpkg's order:
    /// agents report their package's version).
    func outdatedVersions(schoolID: String?) async throws -> [String] {
        let versions = try await store.agentVersions(schoolID: schoolID).keys
        guard let newest = versions.max(by: DebianVersion.less) else { return [] }
        return versions.filter { DebianVersion.less($0, newest) }.sorted()
    }

    /// Whether the device is online now.
    func online(_ d: DeviceRecord) -> Bool {
        d.revokedAt == nil && (d.lastSeenAt.map { now() - $0 <= onlineWindow } ?? false)
    }

    /// The device `id` when `who` may see it: 404 when unknown, 403 when of another school.
    func device(_ who: OperatorPrincipal, id: String) async throws -> DeviceRecord {
        try who.require(Self.everyone)
        guard let device = try await store.device(id: id) else { throw APIError.notFound("no device '\(id)'") }
        guard who.mayAccess(school: device.schoolID) else {
            throw APIError.forbidden(
                "device '\(id)' belongs to another \(who.role == .countyAdmin ? "county's school" : "school")")
        }
        return device
    }

    /// The device `id` with its hardware counts and the names of its school and room (404/403 as
    /// ``device(_:id:)``).
    func listing(_ who: OperatorPrincipal, id: String) async throws -> DeviceListing {
        let device = try await device(who, id: id)
        var q = DevicePageQuery(schoolID: device.schoolID, limit: 1)
        q.deviceID = id
        return try await store.devicePage(q).devices.first ?? DeviceListing(device: device)
    }

    /// Revokes the device's credential (managers of its school); 409 when already revoked.
    func revoke(_ who: OperatorPrincipal, id: String) async throws {
        try who.require(Self.managers)
        let device = try await device(who, id: id)
        let t = now()
        let done = try await store.revokeDevice(
            id: id, at: t,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "device.revoke", target: "device:\(id)", schoolID: device.schoolID,
                detail: device.hostname))
        guard done else { throw APIError.conflict("device '\(id)' is already revoked") }
    }

    /// Replaces the device's credential and returns the new one, shown once (managers of its school).
    func rotate(_ who: OperatorPrincipal, id: String) async throws -> RotatedCredential {
        try who.require(Self.managers)
        let device = try await device(who, id: id)
        let credential = Secrets.make(prefix: SecretPrefix.deviceCredential)
        let done = try await store.rotateDeviceCredential(
            id: id, credentialHash: Secrets.hash(credential),
            audit: AuditEntry(
                at: now(), actor: who.actor, action: "device.rotate", target: "device:\(id)", schoolID: device.schoolID,
                detail: device.hostname))
        guard done else { throw APIError.conflict("device '\(id)' is revoked") }
        return RotatedCredential(deviceID: id, credential: credential)
    }
}
