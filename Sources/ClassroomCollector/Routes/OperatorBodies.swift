import ClassroomWire

/// `POST /api/v1/tokens`.
struct TokenCreateRequest: Codable, Sendable {
    var role: OperatorRole
    var name: String
    var schoolID: String?
    /// The county of a `county_admin` token (required for it, refused for every other role).
    var county: String?
    /// When the token stops working, milliseconds since 1970; or `expiresIn` seconds from now.
    var expiresAt: Int64?
    var expiresIn: Int64?

    static let fields: Set<String> = ["role", "name", "school_id", "county", "expires_at", "expires_in"]
    enum CodingKeys: String, CodingKey {
        case role, name, county
        case schoolID = "school_id"
        case expiresAt = "expires_at"
        case expiresIn = "expires_in"
    }

    /// Longest lifetime of an expiring token: ten years, in seconds.
    static let maximumLifetime: Int64 = 315_360_000

    /// The expiry the body asks for (nil: never), range-checked before any arithmetic.
    func expiry(now: Int64) throws -> Int64? {
        switch (expiresAt, expiresIn) {
        case (nil, nil): return nil
        case (_?, _?): throw APIError.badRequest("fields 'expires_at' and 'expires_in': give one, not both")
        case (nil, let seconds?):
            try InputBounds.integer(seconds, field: "expires_in", in: 60...Self.maximumLifetime)
            return try InputBounds.sum(now, seconds * 1000, field: "expires_in")
        case (let at?, nil):
            let latest = now.addingReportingOverflow(Self.maximumLifetime * 1000)
            guard at > now, latest.overflow || at <= latest.partialValue else {
                throw APIError.badRequest(
                    "field 'expires_at': \(at) must be after now (\(now)) and at most ten years ahead (milliseconds since 1970)")
            }
            return at
        }
    }
}

/// An operator token as listed (never its secret); `token` is set once, in the answer to a create.
struct TokenView: Codable, Sendable {
    var id: String
    var name: String
    var role: OperatorRole
    var schoolID: String?
    /// The county of a `county_admin` token.
    var county: String?
    var createdAt: Int64
    var revokedAt: Int64?
    var expiresAt: Int64?
    var token: String?

    init(_ r: OperatorTokenRecord, secret: String? = nil) {
        id = r.id
        name = r.name
        role = r.role
        schoolID = r.schoolID
        county = r.county
        createdAt = r.createdAt
        revokedAt = r.revokedAt
        expiresAt = r.expiresAt
        token = secret
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, token, county
        case schoolID = "school_id"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case expiresAt = "expires_at"
    }
}

/// `POST /api/v1/enrollment-tokens`.
struct EnrollmentTokenCreateRequest: Codable, Sendable {
    var schoolID: String
    var maxUses: Int
    var expiresInSeconds: Int64

    static let fields: Set<String> = ["school_id", "max_uses", "expires_in_seconds"]
    enum CodingKeys: String, CodingKey {
        case schoolID = "school_id"
        case maxUses = "max_uses"
        case expiresInSeconds = "expires_in_seconds"
    }
}

/// Answer to an enrollment-token create; the token is shown once.
struct EnrollmentTokenView: Codable, Sendable {
    var id: String
    var schoolID: String
    var maxUses: Int
    var expiresAt: Int64
    var token: String

    enum CodingKeys: String, CodingKey {
        case id, token
        case schoolID = "school_id"
        case maxUses = "max_uses"
        case expiresAt = "expires_at"
    }
}

/// A device as listed to operators.
struct DeviceView: Codable, Sendable {
    var id: String
    var schoolID: String
    var roomID: String?
    var hostname: String
    var agentVersion: String
    var enrolledAt: Int64
    var lastSeenAt: Int64?
    var clockSkewMillis: Int64?
    var revoked: Bool
    var online: Bool

    init(_ d: DeviceRecord, now: Int64, onlineWindow: Int64) {
        id = d.id
        schoolID = d.schoolID
        roomID = d.roomID
        hostname = d.hostname
        agentVersion = d.agentVersion
        enrolledAt = d.enrolledAt
        lastSeenAt = d.lastSeenAt
        clockSkewMillis = d.clockSkewMillis
        revoked = d.revokedAt != nil
        online = d.revokedAt == nil && (d.lastSeenAt.map { now - $0 <= onlineWindow } ?? false)
    }

    enum CodingKeys: String, CodingKey {
        case id, hostname, revoked, online
        case schoolID = "school_id"
        case roomID = "room_id"
        case agentVersion = "agent_version"
        case enrolledAt = "enrolled_at"
        case lastSeenAt = "last_seen_at"
        case clockSkewMillis = "clock_skew_ms"
    }
}

/// `POST /api/v1/devices/{id}/commands`: operators may queue the harmless kinds only; spot-check
/// orders come from the draw.
struct CommandEnqueueRequest: Codable, Sendable {
    var kind: AgentCommand.Kind
    static let fields: Set<String> = ["kind"]
}

/// Answer to a credential rotation; the new credential is shown once.
struct RotatedCredential: Codable, Sendable {
    var deviceID: String
    var credential: String

    enum CodingKeys: String, CodingKey {
        case credential
        case deviceID = "device_id"
    }
}

/// `PUT /api/v1/registry`: the four CSV files, base64 of their exact bytes (any encoding the
/// registry reader accepts).
struct RegistryImportRequest: Codable, Sendable {
    var files: [String: String]
    static let fields: Set<String> = ["files"]
}
