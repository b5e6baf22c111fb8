import ClassroomCore

/// An operator role. Roles are ordered by what they may do; see ``OperatorRole/mayMint(_:)``.
public enum OperatorRole: String, Codable, Sendable, Hashable, CaseIterable {
    /// Everything, county-wide.
    case bureauAdmin = "bureau_admin"
    /// Reads everything, county-wide; writes nothing.
    case bureauViewer = "bureau_viewer"
    /// Reads and manages one school's devices, enrollment tokens and school-admin tokens.
    case schoolAdmin = "school_admin"
    /// Reads the audit log and the registry; writes nothing.
    case auditor
    /// A teaching researcher (教研员): reads county-wide like a bureau viewer, and may also watch and
    /// evaluate called lessons and open patrol views (巡课); administers nothing.
    case observer
    /// A county bureau of a prefecture collector (its `county` binding): reads what concerns the
    /// schools of its county (coverage, devices, spot-checks, alerts, evaluations, observation, the
    /// patrol view log, the registry summary, the audit log) — figures, never video — and writes
    /// nothing; tokens, patrols, recordings and the watch pages refuse it.
    case countyAdmin = "county_admin"

    /// Every role but `county_admin`: the console pages not scoped by county (the lesson watch page's
    /// own check refuses video to the roles that never see it).
    public static var schoolScoped: Set<OperatorRole> { Set(allCases).subtracting([.countyAdmin]) }

    /// Every role: the read routes whose answers are filtered to the caller's schools
    /// (``OperatorPrincipal/roleSchools``), a county admin's county's included.
    public static var readers: Set<OperatorRole> { Set(allCases) }

    /// Whether a holder of `self` may create a token of `role` (never above itself).
    public func mayMint(_ role: OperatorRole) -> Bool {
        switch self {
        case .bureauAdmin: true
        case .schoolAdmin: role == .schoolAdmin
        case .bureauViewer, .auditor, .observer, .countyAdmin: false
        }
    }
}

/// An operator token as stored: only the SHA-256 of the secret is kept.
public struct OperatorTokenRecord: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var role: OperatorRole
    /// The school a `school_admin` is bound to; nil for the county-wide roles.
    public var schoolID: String?
    public var secretHash: String
    public var createdAt: Int64
    public var createdBy: String?
    public var revokedAt: Int64?
    /// After this instant the token is refused (401 "operator token expired"); nil: never expires.
    public var expiresAt: Int64?
    /// The county a `county_admin` is bound to (the schools.csv `county` value); nil for other roles.
    public var county: String?

    public init(
        id: String, name: String, role: OperatorRole, schoolID: String?, secretHash: String, createdAt: Int64,
        createdBy: String?, revokedAt: Int64? = nil, expiresAt: Int64? = nil, county: String? = nil
    ) {
        self.county = county
        self.id = id
        self.name = name
        self.role = role
        self.schoolID = schoolID
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
    }

    /// Whether the token may be used at `now`: not revoked and not expired. The API's bearer check and
    /// the console's token sign-in and sessions all ask this.
    public func isUsable(at now: Int64) -> Bool { revokedAt == nil && expiresAt.map { now < $0 } ?? true }
}

/// A school-scoped enrollment token as stored (hashed), with its expiry and use limit.
public struct EnrollmentTokenRecord: Codable, Sendable, Hashable {
    public var id: String
    public var schoolID: String
    public var secretHash: String
    public var maxUses: Int
    public var uses: Int
    public var expiresAt: Int64
    public var createdAt: Int64
    public var createdBy: String

    public init(
        id: String, schoolID: String, secretHash: String, maxUses: Int, uses: Int = 0, expiresAt: Int64, createdAt: Int64,
        createdBy: String
    ) {
        self.id = id
        self.schoolID = schoolID
        self.secretHash = secretHash
        self.maxUses = maxUses
        self.uses = uses
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// An enrolled classroom machine. `roomID` is nil when a registry re-import removed its room.
public struct DeviceRecord: Codable, Sendable, Hashable {
    public var id: String
    public var schoolID: String
    public var roomID: String?
    public var hostname: String
    public var agentVersion: String
    /// The device's Ed25519 public key, raw 32 bytes, base64.
    public var publicKey: String
    public var credentialHash: String
    public var enrolledAt: Int64
    public var lastSeenAt: Int64?
    /// Collector clock minus agent clock at the last upload, milliseconds.
    public var clockSkewMillis: Int64?
    public var revokedAt: Int64?

    public init(
        id: String, schoolID: String, roomID: String?, hostname: String, agentVersion: String, publicKey: String,
        credentialHash: String, enrolledAt: Int64, lastSeenAt: Int64? = nil, clockSkewMillis: Int64? = nil,
        revokedAt: Int64? = nil
    ) {
        self.id = id
        self.schoolID = schoolID
        self.roomID = roomID
        self.hostname = hostname
        self.agentVersion = agentVersion
        self.publicKey = publicKey
        self.credentialHash = credentialHash
        self.enrolledAt = enrolledAt
        self.lastSeenAt = lastSeenAt
        self.clockSkewMillis = clockSkewMillis
        self.revokedAt = revokedAt
    }
}

/// One stored agent event: the agent's own time and the skew-corrected time.
public struct StoredEvent: Codable, Sendable, Hashable {
    public var deviceID: String
    public var seq: Int64
    public var kind: String
    /// The agent's clock, milliseconds since 1970, as sent.
    public var agentAt: Int64
    /// `agentAt` corrected by the skew measured on the batch that carried it.
    public var at: Int64
    public var receivedAt: Int64
    /// The event as JSON (the wire encoding of ``ClassroomWire/AgentEvent``).
    public var body: String

    public init(deviceID: String, seq: Int64, kind: String, agentAt: Int64, at: Int64, receivedAt: Int64, body: String) {
        self.deviceID = deviceID
        self.seq = seq
        self.kind = kind
        self.agentAt = agentAt
        self.at = at
        self.receivedAt = receivedAt
        self.body = body
    }
}

/// A command queued for one device; pending until the device acknowledges it.
public struct CommandRecord: Codable, Sendable, Hashable {
    public var id: String
    public var deviceID: String
    public var kind: String
    /// The wire encoding of the whole ``ClassroomWire/AgentCommand``.
    public var body: String
    public var issuedAt: Int64
    public var acknowledgedAt: Int64?

    public init(id: String, deviceID: String, kind: String, body: String, issuedAt: Int64, acknowledgedAt: Int64? = nil) {
        self.id = id
        self.deviceID = deviceID
        self.kind = kind
        self.body = body
        self.issuedAt = issuedAt
        self.acknowledgedAt = acknowledgedAt
    }
}

/// One line of the audit log: who did what to which object, and when.
public struct AuditEntry: Codable, Sendable, Hashable {
    public var at: Int64
    /// `token:<id>`, `device:<id>` or `cli:<user>` for bootstrap commands on the collector host.
    public var actor: String
    public var action: String
    public var target: String
    /// The school concerned, so that a school admin sees its own entries; nil for county-wide actions.
    public var schoolID: String?
    public var detail: String

    public init(at: Int64, actor: String, action: String, target: String, schoolID: String?, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.schoolID = schoolID
        self.detail = detail
    }
}
