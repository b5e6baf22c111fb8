/// Operator tokens, the bearer secrets of the HTTP API and `classroomctl`: stored by the hash of
/// their secret, revoked but never deleted (the audit log names them).
public protocol OperatorTokenRepository: Sendable {
    /// Stores a new operator token and its audit entry.
    func insertOperatorToken(_ token: OperatorTokenRecord, audit: AuditEntry) async throws
    /// The token with this secret hash, revoked or not.
    func operatorToken(secretHash: String) async throws -> OperatorTokenRecord?
    /// Tokens, all or those bound to one school, oldest first (then by id).
    func operatorTokens(schoolID: String?) async throws -> [OperatorTokenRecord]
    /// The token with this id, revoked or not.
    func operatorToken(id: String) async throws -> OperatorTokenRecord?
    /// Marks a token revoked (and writes `audit`); false when there is no such unrevoked token.
    func revokeOperatorToken(id: String, at: Int64, audit: AuditEntry) async throws -> Bool
}
