import ClassroomCore
import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle
import SystemdNotify

/// `classroomd run`: loads the config, opens the outbox, and runs every part as a service of one
/// `ServiceGroup` until SIGTERM/SIGINT.
public enum AgentDaemon {
    /// Exit statuses the unit file lists in `RestartPreventExitStatus=` (no restart loop on them).
    public enum ExitStatus {
        /// `EX_CONFIG`: the config file is wrong.
        public static let config: Int32 = 78
        /// `EX_CANTCREAT`: the state directory cannot be written.
        public static let stateDirectory: Int32 = 73
    }

    /// Test knob: `CLASSROOMD_USAGE_PERIOD_SECONDS` (1…60) shortens the usage "minute" so a test sees
    /// several in seconds. Unset in production: one usage minute per wall-clock minute.
    public static let usagePeriodVariable = "CLASSROOMD_USAGE_PERIOD_SECONDS"

    /// Runs the daemon; returns the process exit status.
    public static func run(
        configPath: String, environment: [String: String], hardware: AgentHardware = AgentHardware(),
        spotCheck: (any SpotCheckActions)? = nil
    ) async -> Int32 {
        await run(configPath: configPath, environment: environment, hardware: { _, _ in hardware }, spotCheck: spotCheck)
    }

    /// Runs the daemon with the hardware adapters `hardware` builds from the loaded config (after logging
    /// is set up, so they log through it); returns the process exit status.
    public static func run(
        configPath: String, environment: [String: String],
        hardware makeHardware: (AgentConfig, Logger) -> AgentHardware, spotCheck: (any SpotCheckActions)? = nil
    ) async -> Int32 {
        var usagePeriodMillis: Int64 = 60_000
        if let text = environment[usagePeriodVariable] {
            guard let seconds = Int64(text), (1...60).contains(seconds) else {
                printError("classroomd: \(usagePeriodVariable)=\(text) must be a whole number of seconds from 1 to 60")
                return ExitStatus.config
            }
            usagePeriodMillis = seconds * 1000
        }
        var clock = AgentClock.system
        if let text = environment[AgentClock.offsetVariable] {
            guard let seconds = AgentClock.parseOffset(text) else {
                printError(
                    "classroomd: \(AgentClock.offsetVariable)=\(text) must be a whole number of seconds from "
                        + "-\(AgentClock.maximumOffsetSeconds) to \(AgentClock.maximumOffsetSeconds)")
                return ExitStatus.config
            }
            clock = AgentClock(offsetMillis: seconds * 1000)
        }
        let config: AgentConfig
        do {
            config = try AgentConfig.load(path: configPath, environment: environment)
        } catch {
            printError("classroomd: \(error)")
            return ExitStatus.config
        }
        let level = LogLevelSetting(config.logLevel)
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level, environment: environment) }
        let logger = Logger(label: "classroomd")
        if let offset = environment[AgentClock.offsetVariable] {
            logger.warning("test knob: the agent's wall clock is offset", metadata: ["seconds": "\(offset)"])
        }
        let notifier = SystemdNotifier(environment: environment)
        let identity = DeviceIdentity(stateDirectory: config.stateDirectory)
        let enrollment: Enrollment?
        let outbox: Outbox
        do {
            try identity.prepareDirectory()
            enrollment = try identity.loadEnrollment()
            outbox = try Outbox(path: config.outboxPath, maximumBytes: config.outboxMaxBytes, logger: logger, clock: clock)
        } catch let error as StateError {
            logger.critical("\(error.description)")
            notifier?.status("failed: \(error.description)")
            return ExitStatus.stateDirectory
        } catch {
            logger.critical("cannot open the outbox", metadata: ["file": "\(config.outboxPath)", "error": "\(error)"])
            notifier?.status("failed: outbox \(error)")
            return ExitStatus.stateDirectory
        }
        let live = LiveConfig(config)
        let hardware = makeHardware(config, logger)
        var services: [any Service] = [
            HeartbeatService(outbox: outbox, config: live, logger: logger),
            UsageTracker(outbox: outbox, hardware: hardware, logger: logger, minuteMillis: usagePeriodMillis),
        ]
        var liveSpotCheck: (@Sendable () -> SpotCheckLiveStatus?)?
        var streaming: SpotCheckService?
        if let enrollment, let collector = config.collector ?? Optional(enrollment.collector) {
            var spotCheck = spotCheck
            if spotCheck == nil {
                do {
                    let signer = EvidenceSigner(key: try identity.loadOrCreateKey())
                    let service = SpotCheckService(
                        config: config, hardware: hardware, signer: signer, outbox: outbox, logger: logger)
                    streaming = service
                    spotCheck = service
                    liveSpotCheck = { service.liveStatus }
                } catch {
                    logger.error("spot-checks are not available: cannot read the device key", metadata: ["error": "\(error)"])
                }
            }
            do {
                let api = { (client: HTTPClient) in
                    CollectorAPI(
                        baseURL: collector, credential: enrollment.credential, client: client,
                        timeoutSeconds: config.requestTimeoutSeconds, clock: clock)
                }
                let uploadClient = try HTTPClient(caBundle: config.caBundle, userAgent: AgentVersion.userAgent)
                let pollClient = try HTTPClient(caBundle: config.caBundle, userAgent: AgentVersion.userAgent)
                services.append(
                    Uploader(
                        outbox: outbox, api: api(uploadClient), logger: logger,
                        firstConnectJitter: config.firstConnectJitterSeconds, backoffCap: config.backoffMaxSeconds))
                services.append(
                    CommandPoller(
                        outbox: outbox, api: api(pollClient),
                        handler: BuiltInCommands(outbox: outbox, inventory: hardware.inventory, spotCheck: spotCheck),
                        logger: logger, waitSeconds: config.pollWaitSeconds, backoffCap: config.backoffMaxSeconds))
            } catch {
                logger.critical("cannot initialise libcurl", metadata: ["error": "\(error)"])
                return 1
            }
        } else {
            logger.warning("this device is not enrolled: events are queued but not sent (run 'classroomd enroll')")
        }
        // After the uploader and the poller: a group shuts down in reverse order, so on SIGTERM the stream
        // ends and its evidence is queued while the uploader still runs.
        if let streaming { services.append(streaming) }
        if config.statusPort != 0 {
            let status = liveSpotCheck
            services.append(
                StatusPageServer(
                    port: config.statusPort, logger: logger, status: { status?() }, clock: clock, extraHosts: config.statusHosts))
        }
        let enrolled = enrollment != nil
        services.append(
            SystemdService(
                notifier: notifier, config: live, logLevel: level, configPath: configPath, environment: environment,
                logger: logger,
                status: {
                    let depth = await outbox.depth.count
                    return enrolled ? "queue \(depth) events" : "not enrolled; queue \(depth) events"
                }))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
            return 0
        } catch {
            logger.critical("stopped on an error", metadata: ["error": "\(error)"])
            return 1
        }
    }
}

/// Writes a line to stderr (before logging is set up).
public func printError(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
