import ClassroomWire
import Foundation

/// What the operator-token, audit-log and registry routes read and write, and what their bearer
/// check reads: every ``CollectorStore`` is one, and so is ``InMemoryRepositories``.
typealias OperatorRepositories = OperatorTokenRepository & RegistryRepository & AuditRepository

/// The operator actions on operator tokens and the audit log behind `/api/v1` (``OperatorTokenAPI``)
/// and the console's `/admin`: authorization by role and school scope, validation and the write
/// with its audit entry — one copy for both. Refusals are ``APIError``s (the console shows their
/// status and message).
struct OperatorTokenOperations: Sendable {
    let store: any OperatorRepositories
    let now: @Sendable () -> Int64

    static var managers: Set<OperatorRole> { [.bureauAdmin, .schoolAdmin] }
    static var auditReaders: Set<OperatorRole> { [.bureauAdmin, .auditor, .schoolAdmin, .countyAdmin] }

    // MARK: Operator tokens

    /// A new operator token of `role` (never above `who`'s own) and its secret, shown once.
    func createToken(
        who: OperatorPrincipal, name: String, role: OperatorRole, schoolID: String?, county: String? = nil,
        expiresAt: Int64? = nil
    ) async throws
        -> (record: OperatorTokenRecord, secret: String)
    {
        try who.require(Self.managers)
        try Validate.text(name, field: "name", max: 200)
        guard who.role.mayMint(role) else {
            throw APIError.forbidden("role \(who.role.rawValue) may not create a \(role.rawValue) token")
        }
        if role == .countyAdmin {
            guard let county else { throw APIError.badRequest("field 'county' is required for county_admin") }
            let counties = try await store.registry().counties
            guard counties.contains(county) else {
                throw APIError.badRequest(
                    "field 'county': no county '\(county)' in the registry (counties: \(counties.joined(separator: ", ")))")
            }
        } else if county != nil {
            throw APIError.badRequest("field 'county' is only for county_admin tokens")
        }
        if role == .schoolAdmin {
            guard let school = schoolID else { throw APIError.badRequest("field 'school_id' is required for school_admin") }
            guard who.mayAccess(school: school) else { throw APIError.forbidden("school '\(school)' is not yours") }
            guard try await store.schoolExists(school) else {
                throw APIError.badRequest("field 'school_id': no school '\(school)' in the registry")
            }
        } else if schoolID != nil {
            throw APIError.badRequest("field 'school_id' is only for school_admin tokens")
        }
        let secret = Secrets.make(prefix: SecretPrefix.operatorToken)
        let record = OperatorTokenRecord(
            id: Secrets.newID(), name: name, role: role, schoolID: schoolID, secretHash: Secrets.hash(secret),
            createdAt: now(), createdBy: who.actor, expiresAt: expiresAt, county: county)
        try await store.insertOperatorToken(
            record,
            audit: AuditEntry(
                at: record.createdAt, actor: who.actor, action: "token.create", target: "token:\(record.id)",
                schoolID: record.schoolID,
                detail: "\(record.role.rawValue) '\(record.name)'" + (county.map { " county \($0)" } ?? "")
                    + (expiresAt.map { ", expires \($0)" } ?? "")))
        return (record, secret)
    }

    /// The tokens `who` may see: all for a bureau admin, its school's for a school admin.
    func tokens(who: OperatorPrincipal) async throws -> [OperatorTokenRecord] {
        try who.require(Self.managers)
        return try await store.operatorTokens(schoolID: who.role == .schoolAdmin ? who.schoolID : nil)
    }

    func revokeToken(who: OperatorPrincipal, id: String) async throws {
        try who.require(Self.managers)
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
    }

    // MARK: Audit log

    /// Audit entries `who` may read, newest first: a school admin its school's, a county admin its
    /// county's schools' (entries of no school, such as registry imports, are prefecture-wide and
    /// not theirs); `county` narrows any role to one county's schools.
    func auditEntries(
        who: OperatorPrincipal, filter: AuditFilter, county: String? = nil, limit: Int, offset: Int = 0
    ) async throws -> [AuditEntry] {
        try who.require(Self.auditReaders)
        var filter = filter
        if let scope = try await who.listScope(school: filter.schoolID, county: county, store: store) {
            filter.schoolIDs = scope.sorted()
        }
        return try await store.auditLog(filter: filter, limit: limit, offset: offset)
    }
}
