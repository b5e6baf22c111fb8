/// Body of `POST /api/v1/agent/enroll`.
public struct EnrollRequest: Codable, Sendable, Hashable {
    /// The school-scoped enrollment token (`cfe_…`).
    public var token: String
    /// The room this machine serves (`room_id` of `rooms.csv`); must belong to the token's school.
    public var roomID: String
    /// The device's Ed25519 public key, raw 32 bytes, base64 (standard alphabet, padded).
    public var publicKey: String
    public var hostname: String
    public var agentVersion: String

    public init(token: String, roomID: String, publicKey: String, hostname: String, agentVersion: String) {
        self.token = token
        self.roomID = roomID
        self.publicKey = publicKey
        self.hostname = hostname
        self.agentVersion = agentVersion
    }

    enum CodingKeys: String, CodingKey {
        case token, hostname
        case roomID = "room_id"
        case publicKey = "public_key"
        case agentVersion = "agent_version"
    }
}

/// Answer to a successful enrollment. The credential is shown once; the collector keeps only its hash.
public struct EnrollResponse: Codable, Sendable, Hashable {
    public var deviceID: String
    /// The device credential (`cfd_…`).
    public var credential: String
    public var schoolID: String
    public var roomID: String
    /// Collector clock, milliseconds since 1970.
    public var serverTime: Int64

    public init(deviceID: String, credential: String, schoolID: String, roomID: String, serverTime: Int64) {
        self.deviceID = deviceID
        self.credential = credential
        self.schoolID = schoolID
        self.roomID = roomID
        self.serverTime = serverTime
    }

    enum CodingKeys: String, CodingKey {
        case credential
        case deviceID = "device_id"
        case schoolID = "school_id"
        case roomID = "room_id"
        case serverTime = "server_time"
    }
}
