import ClassroomWire
import Foundation

/// The operator actions on enrollment tokens behind `/api/v1` and the console's `/admin`:
/// authorization by role and school scope, validation and the store write with its audit entry —
/// one copy for both (operator tokens and the audit log: ``OperatorTokenOperations``).
/// Refusals are ``APIError``s (the console shows their status and message).
struct OperatorOperations: Sendable {
    let store: any CollectorStore
    let now: @Sendable () -> Int64

    /// Who may create enrollment tokens: the managers who mint operator tokens.
    static var managers: Set<OperatorRole> { OperatorTokenOperations.managers }

    // MARK: Enrollment tokens

    /// A new enrollment token for one of `who`'s schools, and its secret, shown once.
    func createEnrollmentToken(who: OperatorPrincipal, schoolID: String, maxUses: Int, expiresInSeconds: Int64)
        async throws -> (record: EnrollmentTokenRecord, secret: String)
    {
        try who.require(Self.managers)
        guard who.mayAccess(school: schoolID) else { throw APIError.forbidden("school '\(schoolID)' is not yours") }
        guard (1...10_000).contains(maxUses) else { throw APIError.badRequest("field 'max_uses' must be 1…10000") }
        guard (60...31_536_000).contains(expiresInSeconds) else {
            throw APIError.badRequest("field 'expires_in_seconds' must be 60…31536000 (one year)")
        }
        guard try await store.schoolExists(schoolID) else {
            throw APIError.badRequest("field 'school_id': no school '\(schoolID)' in the registry")
        }
        let secret = Secrets.make(prefix: SecretPrefix.enrollmentToken)
        let t = now()
        let record = EnrollmentTokenRecord(
            id: Secrets.newID(), schoolID: schoolID, secretHash: Secrets.hash(secret), maxUses: maxUses,
            expiresAt: t + expiresInSeconds * 1000, createdAt: t, createdBy: who.actor)
        try await store.insertEnrollmentToken(
            record,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "enrollment_token.create", target: "enrollment_token:\(record.id)",
                schoolID: record.schoolID, detail: "\(record.maxUses) uses, expires \(record.expiresAt)"))
        return (record, secret)
    }
}
