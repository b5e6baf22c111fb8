/// The signed-in person behind a console request: who (for authorization and the audit log), the
/// session's CSRF token, and the language of the answer.
///
/// Built by ``ConsoleAuth/requireViewer(_:roles:)`` from the session cookie; the role and school are
/// read afresh from the user or token on every request, so disabling a user or revoking a token
/// takes effect at once.
public struct ConsoleViewer: Sendable {
    /// The same principal the `/api/v1` routes authorize: pass it to the shared operations.
    /// Its ``OperatorPrincipal/actor`` is `user:NAME` or `token:ID`.
    public var principal: OperatorPrincipal
    /// The value every state-changing form must send back in its `csrf` field.
    public var csrfToken: String
    public var language: ConsoleLanguage
    /// How the viewer signed in.
    public var method: ConsoleSignInMethod

    public var role: OperatorRole { principal.role }
    /// The school of a school admin; nil for county-wide roles.
    public var schoolID: String? { principal.schoolID }
    /// The audit-log actor: `user:NAME` or `token:ID`.
    public var actor: String { principal.actor }
    /// The name shown in the header (username, or the token's name).
    public var displayName: String { principal.name }
    /// The viewer's label table.
    public var text: ConsoleText { language.text }

    /// Whether this viewer may see `schoolID` (school admins only their own). Pages answer 404
    /// otherwise (``ConsoleFailure/notFound``), so another school's existence is not disclosed.
    public func mayAccess(school schoolID: String?) -> Bool { principal.mayAccess(school: schoolID) }
}

/// How a console session was opened.
public enum ConsoleSignInMethod: String, Sendable {
    case password
    case token
}
