/// The agent ↔ collector protocol version and paths.
///
/// - Important: the protocol is JSON over HTTPS under `/api/v1`; field names are snake_case.
///   Agents send `Authorization: Bearer <device credential>`; operators `Bearer <operator token>`.
public enum APIVersion {
    /// The path prefix of this protocol version.
    public static let prefix = "/api/v1"
    /// Sent by agents in `User-Agent` as `classroomd/<agentVersion> (api v1)`.
    public static let current = 1
}

/// Paths of the agent-facing routes, shared so that client and server cannot drift apart.
public enum AgentRoutes {
    /// `POST` an ``EnrollRequest`` (no credential yet; the enrollment token is in the body).
    public static let enroll = "/api/v1/agent/enroll"
    /// `POST` an ``EventBatch``, answered by an ``EventAck``.
    public static let events = "/api/v1/agent/events"
    /// `GET ?wait=SECONDS` long-poll, answered by a ``CommandList``.
    public static let commands = "/api/v1/agent/commands"
    /// `POST` a ``CommandAckRequest``: the agent has persisted these commands and will act on them.
    public static let commandsAck = "/api/v1/agent/commands/ack"
}

/// Prefixes that tell secret kinds apart at a glance (and in leak scanners).
public enum SecretPrefix {
    /// Operator tokens (`bureau_admin`, `bureau_viewer`, `school_admin`, `auditor`, `observer`).
    public static let operatorToken = "cfo_"
    /// School-scoped enrollment tokens, exchanged once or a few times for device credentials.
    public static let enrollmentToken = "cfe_"
    /// Device credentials held by agents.
    public static let deviceCredential = "cfd_"
}
