import Synchronization

/// The current config, replaced on SIGHUP; read by services on each cycle.
public final class LiveConfig: Sendable {
    private let value: Mutex<AgentConfig>

    public init(_ config: AgentConfig) { value = Mutex(config) }

    public var current: AgentConfig {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
