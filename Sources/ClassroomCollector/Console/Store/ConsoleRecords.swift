/// A console account: a person who signs in with a username and password. Same roles and school
/// scope as operator tokens; only the bcrypt hash of the password is stored.
public struct ConsoleUserRecord: Codable, Sendable, Hashable {
    public var id: String
    /// Unique; what the person types to sign in, and the audit actor `user:<username>`.
    public var username: String
    public var role: OperatorRole
    /// The school of a `school_admin`; nil for county-wide roles.
    public var schoolID: String?
    /// bcrypt (`$2b$…`), from HummingbirdBcrypt.
    public var passwordHash: String
    public var createdAt: Int64
    public var createdBy: String
    public var disabledAt: Int64?
    /// The registry teacher this person is (a principal's views count for that teacher's observation
    /// quota); nil when not linked.
    public var teacherID: String?

    public init(
        id: String, username: String, role: OperatorRole, schoolID: String?, passwordHash: String, createdAt: Int64,
        createdBy: String, disabledAt: Int64? = nil, teacherID: String? = nil
    ) {
        self.teacherID = teacherID
        self.id = id
        self.username = username
        self.role = role
        self.schoolID = schoolID
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.disabledAt = disabledAt
    }
}

/// A signed-in browser. The cookie holds a random secret; the database holds its SHA-256.
public struct ConsoleSessionRecord: Codable, Sendable, Hashable {
    public var secretHash: String
    public var method: ConsoleSignInMethod
    /// The user's id (password) or the operator token's id (token).
    public var subjectID: String
    /// Sent back by every state-changing form in its `csrf` field.
    public var csrfToken: String
    public var createdAt: Int64
    /// The last request; the session ends when idle longer than the configured limit.
    public var lastSeenAt: Int64
    public var address: String

    public init(
        secretHash: String, method: ConsoleSignInMethod, subjectID: String, csrfToken: String, createdAt: Int64,
        lastSeenAt: Int64, address: String
    ) {
        self.secretHash = secretHash
        self.method = method
        self.subjectID = subjectID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.address = address
    }
}

extension ConsoleSignInMethod: Codable {}
