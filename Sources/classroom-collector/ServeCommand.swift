import ArgumentParser
import ClassroomCollector
import ClassroomCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SystemdNotify

/// `classroom-collector serve`: runs the HTTP API until SIGTERM/SIGINT, then drains.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the collector's HTTP API (migrates the database first).",
        discussion: "SIGTERM or SIGINT end long-polls at once, drain in-flight requests and exit 0."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var spotcheck: SpotCheckOptions
    @OptionGroup var agentLimits: AgentLimitOptions
    @OptionGroup var recordings: RecordingOptions
    @OptionGroup var alerts: AlertOptions

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one, printed on start).")
    var listen = "127.0.0.1:8470"

    @Option(help: "Longest long-poll in seconds.")
    var maxWait = 60

    @Option(help: "Most open connections; more wait in the listen backlog.")
    var maxConnections = 20_000

    @Option(
        help: """
            Folder of coverage target profiles (NAME.toml) for /api/v1/coverage. Default: $CLASSROOMFLEET_PROFILES, \
            ./Deploy/profiles, then ../share/classroomfleet/profiles beside the executable.
            """)
    var profilesDir: String?

    @Option(
        help: """
            Observation profile: the evaluation rubric (评课) and observation quotas (听课), read from \
            observation/NAME.toml in the profiles folder. Default: luxi when found, else the built-in rubric.
            """)
    var observationProfile: String?

    @Option(help: "The county's time zone (coverage report days and lesson periods).")
    var timeZone = "Asia/Shanghai"

    @Option(help: "Web console: a session unused this many minutes ends.")
    var consoleIdleMinutes = 30

    @Option(
        help: """
            Web console: an address (such as the nginx in front) whose X-Forwarded-For and X-Forwarded-Proto are \
            believed (repeatable). Then cookies are Secure when X-Forwarded-Proto is https.
            """)
    var trustedProxy: [String] = []

    @Option(
        help: """
            Keep agent events of this many whole months before the current one (UTC months of the agent's time); \
            older ones are removed at start and daily (PostgreSQL drops whole month partitions, SQLite deletes \
            rows), audited. Default: keep everything.
            """)
    var eventsRetentionMonths: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw ValidationError("--listen must be HOST:PORT, not '\(listen)'") }
        guard (1...3600).contains(maxWait) else { throw ValidationError("--max-wait must be 1…3600 seconds") }
        if let months = eventsRetentionMonths, !(1...1200).contains(months) {
            throw ValidationError("--events-retention-months must be 1…1200, not \(months)")
        }
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        var logger = Logger(label: "classroom-collector")
        logger.logLevel = level
        let log = logger
        let opened = try StoreURL.open(database.database, logger: logger)
        var settings = CollectorConfiguration(
            host: String(listen[..<colon]), port: port, databaseURL: database.database, maximumWait: maxWait,
            maximumConnections: maxConnections, idleTimeout: .seconds(Int64(maxWait) + 30))
        settings.profilesDirectory = profilesDir
        settings.timeZone = timeZone
        do {
            settings.observation = try ObservationProfile.collector(named: observationProfile, profilesDirectory: profilesDir)
        } catch {
            throw ValidationError("--observation-profile: \(error)")
        }
        settings.spotcheck = try spotcheck.configuration()
        settings.patrol = spotcheck.patrolConfiguration()
        settings.agentLimits = agentLimits.limits
        settings.recordings = try recordings.configuration()
        settings.alerts = try alerts.configuration()
        guard (1...24 * 60).contains(consoleIdleMinutes) else {
            throw ValidationError("--console-idle-minutes must be 1…1440, not \(consoleIdleMinutes)")
        }
        settings.console.sessionIdleSeconds = Int64(consoleIdleMinutes) * 60
        settings.console.trustedProxies = Set(trustedProxy)
        let configuration = settings
        let notifier = CommandNotifier()
        let systemd = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        let recordingQueue = RecordingQueue()
        let app = CollectorServer.application(
            store: opened.store, notifier: notifier, configuration: configuration, logger: logger,
            onServerRunning: { port in
                log.info("listening", metadata: ["port": "\(port)", "db": "\(Self.redacted(database.database))"])
                // Unbuffered: scripts and tests read the port from this line while the server runs.
                FileHandle.standardOutput.write(Data("classroom-collector listening on \(configuration.host):\(port)\n".utf8))
                systemd?.ready()
            }, recordings: recordingQueue)
        var services: [any Service] = []
        if let run = opened.run { services.append(PoolService(run: run)) }
        services.append(app)
        services.append(CommandWatchService(store: opened.store, notifier: notifier, logger: logger))
        services += try spotcheck.services(
            store: opened.store, notifier: notifier, configuration: configuration.spotcheck, patrol: configuration.patrol,
            logger: logger)
        services += RecordingOptions.services(
            store: opened.store, configuration: configuration.recordings, queue: recordingQueue, logger: logger)
        services += try AlertOptions.services(
            store: opened.store, configuration: configuration.alerts, zone: configuration.spotcheck.zone, logger: logger)
        services.append(EventRetentionService(store: opened.store, retentionMonths: eventsRetentionMonths, logger: logger))
        // Last in the group, so the first to hear about graceful shutdown: long-polls end before
        // the server drains.
        services.append(LongPollShutdownService(notifier: notifier, systemd: systemd))
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + "…" + String(url[at...])
    }
}

/// Runs a store's connection pool for the life of the service group.
struct PoolService: Service {
    let run: @Sendable () async -> Void
    func run() async throws { await cancelWhenGracefulShutdown { await run() } }
}
