import FoundationEssentials
import Logging
import ServiceLifecycle
import SystemdNotify
import UnixSignals

/// The systemd side of the daemon: `READY=1` when started, `WATCHDOG=1` every half `WATCHDOG_USEC`,
/// `RELOADING=1` … `READY=1` around a SIGHUP config reload, `STOPPING=1` on shutdown.
public struct SystemdService: Service {
    /// Nil when not started by systemd: then nothing is sent, but SIGHUP still reloads.
    let notifier: SystemdNotifier?
    let config: LiveConfig
    let logLevel: LogLevelSetting
    let configPath: String
    let environment: [String: String]
    let logger: Logger
    let status: @Sendable () async -> String

    public init(
        notifier: SystemdNotifier?, config: LiveConfig, logLevel: LogLevelSetting, configPath: String,
        environment: [String: String], logger: Logger,
        status: @escaping @Sendable () async -> String
    ) {
        self.notifier = notifier
        self.config = config
        self.logLevel = logLevel
        self.configPath = configPath
        self.environment = environment
        self.logger = logger
        self.status = status
    }

    public func run() async throws {
        // SIGHUP is trapped before READY=1: systemd may send a reload right after it, and an untrapped
        // SIGHUP terminates the process (seen on a loaded machine).
        let reloads = await UnixSignalsSequence(trapping: .sighup)
        notifier?.ready(status: await status())
        logger.info("ready", metadata: ["notify_socket": "\(notifier?.socketPath ?? "none")"])
        await cancelWhenGracefulShutdownOrReturn {
            try await withThrowingDiscardingTaskGroup { group in
                if let notifier, let interval = notifier.watchdogInterval {
                    group.addTask {
                        while !Task.isCancelled {
                            notifier.watchdog()
                            try await Task.sleep(for: interval)
                        }
                    }
                }
                group.addTask {
                    for await _ in reloads { await reload() }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .seconds(30))
                        notifier?.status(await status())
                    }
                }
            }
        }
        notifier?.stopping()
        logger.info("stopping")
    }

    private func reload() async {
        notifier?.reloading()
        do {
            let fresh = try AgentConfig.load(path: configPath, environment: environment)
            let old = config.current
            if fresh.collector != old.collector || fresh.stateDirectory != old.stateDirectory || fresh.caBundle != old.caBundle {
                logger.warning("collector, state_directory and ca_bundle take effect on restart; other settings reloaded")
            }
            config.current = fresh
            logLevel.current = fresh.logLevel
            logger.notice("configuration reloaded", metadata: ["file": "\(configPath)"])
        } catch {
            logger.error("configuration not reloaded, keeping the previous one", metadata: ["error": "\(error)"])
        }
        notifier?.ready(status: await status())
    }
}
