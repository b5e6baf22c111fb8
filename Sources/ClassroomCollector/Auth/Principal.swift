import ClassroomWire
import HTTPTypes
import Hummingbird

/// The operator behind a request: a bearer token (`/api/v1`) or a console session (a user or a token).
public struct OperatorPrincipal: Sendable, Hashable {
    /// The operator token's id, or the console user's id.
    public var id: String
    public var name: String
    public var role: OperatorRole
    public var schoolID: String?
    /// The county of a `county_admin`; nil for every other role.
    public var county: String?
    /// The schools of a `county_admin`'s county in the imported registry, resolved when it
    /// authenticates (``withCountySchools(from:)``); nil for every other role.
    public var countySchools: Set<String>?
    /// The audit-log actor: `token:<id>` or `user:<username>`.
    public var actor: String

    /// The holder of an operator token.
    public init(tokenID: String, name: String, role: OperatorRole, schoolID: String?, county: String? = nil) {
        self.county = county
        self.id = tokenID
        self.name = name
        self.role = role
        self.schoolID = schoolID
        self.actor = "token:\(tokenID)"
    }

    /// A console user signed in with a password.
    public init(user: ConsoleUserRecord) {
        self.id = user.id
        self.name = user.username
        self.role = user.role
        self.schoolID = user.schoolID
        self.actor = "user:\(user.username)"
    }

    /// Whether this operator may see data of `schoolID`: school admins only their own, county admins
    /// the schools of their county (``countySchools``), the other roles every school.
    ///
    /// - Important: which roles may *change* a school's data is each route's role set; a county
    ///   admin reads only.
    public func mayAccess(school schoolID: String?) -> Bool {
        switch role {
        case .schoolAdmin: schoolID != nil && schoolID == self.schoolID
        case .countyAdmin: schoolID.map { countySchools?.contains($0) ?? false } ?? false
        default: true
        }
    }
}

/// Checks bearer secrets against the repositories. Unknown, malformed and revoked secrets are all 401.
struct Authenticator: Sendable {
    /// Operator tokens, and the registry (a county admin's schools).
    let tokens: any OperatorTokenRepository & RegistryRepository
    /// Device credentials: the agent routes' bearers, and on operator routes told apart (403) from
    /// garbage (401). Nil where no device can be enrolled: every device credential is then unknown.
    var devices: (any DeviceRepository)?
    /// The collector's clock, for operator token expiry.
    var now: @Sendable () -> Int64 = collectorNow

    init(
        tokens: any OperatorTokenRepository & RegistryRepository, devices: (any DeviceRepository)?,
        now: @escaping @Sendable () -> Int64 = collectorNow
    ) {
        self.tokens = tokens
        self.devices = devices
        self.now = now
    }

    /// The whole store: tokens, registry and devices.
    init(store: any CollectorStore, now: @escaping @Sendable () -> Int64 = collectorNow) {
        self.init(tokens: store, devices: store, now: now)
    }

    /// The unrevoked device holding `secret`, nil when none (or no devices).
    private func enrolledDevice(credential secret: String) async throws -> DeviceRecord? {
        guard let devices, let device = try await devices.device(credentialHash: Secrets.hash(secret)), device.revokedAt == nil
        else { return nil }
        return device
    }

    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// The operator of the request when its role is one of `roles`; 401 / 403 otherwise.
    func requireOperator(_ request: Request, roles: Set<OperatorRole>) async throws -> OperatorPrincipal {
        guard let secret = Self.bearer(request) else {
            throw APIError.unauthorized("missing 'Authorization: Bearer <operator token>'")
        }
        guard secret.hasPrefix(SecretPrefix.operatorToken) else {
            // A valid device credential is authenticated but not allowed here: 403, not 401.
            if secret.hasPrefix(SecretPrefix.deviceCredential), try await enrolledDevice(credential: secret) != nil {
                throw APIError.forbidden("device credentials may not use operator routes")
            }
            throw APIError.unauthorized("this route takes an operator token (\(SecretPrefix.operatorToken)…)")
        }
        guard let token = try await tokens.operatorToken(secretHash: Secrets.hash(secret)), token.revokedAt == nil else {
            throw APIError.unauthorized("unknown or revoked operator token")
        }
        if let expiry = token.expiresAt, now() >= expiry {
            throw APIError.unauthorized("operator token expired")
        }
        let principal = OperatorPrincipal(
            tokenID: token.id, name: token.name, role: token.role, schoolID: token.schoolID, county: token.county)
        try principal.require(roles)
        return try await principal.withCountySchools(from: tokens)
    }

    /// The enrolled, unrevoked device of the request; 401 otherwise.
    func requireDevice(_ request: Request) async throws -> DeviceRecord {
        guard let secret = Self.bearer(request) else {
            throw APIError.unauthorized("missing 'Authorization: Bearer <device credential>'")
        }
        guard secret.hasPrefix(SecretPrefix.deviceCredential), let device = try await enrolledDevice(credential: secret) else {
            throw APIError.unauthorized("unknown or revoked device credential")
        }
        return device
    }
}
