import CBuildStamp
import ClassroomWire
import FoundationEssentials
import Logging
import ServiceLifecycle

/// Appends a ``Heartbeat`` every `heartbeat_seconds` (read from the live config each time).
public struct HeartbeatService: Service {
    let outbox: Outbox
    let config: LiveConfig
    let logger: Logger
    let startedAt: Int64

    public init(outbox: Outbox, config: LiveConfig, logger: Logger) {
        self.outbox = outbox
        self.config = config
        self.logger = logger
        startedAt = outbox.clock.nowMillis()
    }

    public func run() async throws {
        await cancelWhenGracefulShutdownOrReturn { try await loop() }
    }

    private func loop() async throws {
        while !Task.isCancelled {
            let depth = await outbox.depth
            let beat = Heartbeat(
                agentVersion: AgentVersion.current, uptimeSeconds: (outbox.clock.nowMillis() - startedAt) / 1000,
                queueDepth: depth.count, droppedUsageTotal: await outbox.droppedUsageTotal)
            do {
                try await outbox.append(.heartbeat(beat))
            } catch {
                logger.error("cannot record a heartbeat", metadata: ["error": "\(error)"])
            }
            try await sleep(seconds: config.current.heartbeatSeconds)
        }
    }
}

/// The agent's version, sent in `User-Agent`, enrollment and heartbeats: the Debian package's version
/// when the binary comes from `Deploy/debian/build-packages` (CBuildStamp), else the compiled-in one.
public enum AgentVersion {
    public static let current = String(cString: classroomfleet_build_version())
    public static var userAgent: String { "classroomd/\(current) (api v\(APIVersion.current))" }
}
