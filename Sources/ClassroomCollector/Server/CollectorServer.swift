import ClassroomWire
import CollectorAPI
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import SystemdNotify

/// Builds the collector: its router (for tests, `app.test(.router)`) and the application.
public enum CollectorServer {
    /// The router of every route, with error bodies and request logging.
    public static func router(
        store: any CollectorStore, notifier: CommandNotifier, metrics: CollectorMetrics, configuration: CollectorConfiguration,
        now: @escaping @Sendable () -> Int64 = collectorNow, recordings: RecordingQueue = RecordingQueue()
    ) -> Router<CollectorRequestContext> {
        let router = Router(context: CollectorRequestContext.self)
        router.middlewares.add(metrics.middleware())
        router.middlewares.add(LogRequestsMiddleware(.debug))
        router.middlewares.add(APIErrorMiddleware())
        router.get("healthz") { _, _ in "ok\n" }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition(waitingPolls: notifier.waiting))))
        }
        router.get("api/v1/openapi.yaml") { _, _ in
            // The resource file of the CollectorAPI target (Sources/CollectorAPI/openapi.yaml), read once.
            switch OpenAPIDocument.shared {
            case .success(let yaml):
                Response(
                    status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: yaml)))
            case .failure(let error): throw APIError(.internalServerError, "openapi_missing", error.description)
            }
        }
        let dispatcher = CommandDispatcher(queue: store, notifier: notifier)
        AgentAPI<CollectorRequestContext>(
            store: store, notifier: notifier, now: now, maximumWait: configuration.maximumWait, metrics: metrics,
            fairShare: DeviceFairShare(limits: configuration.agentLimits)
        ).register(on: router)
        OperatorAPI<CollectorRequestContext>(
            store: store, dispatcher: dispatcher, now: now, onlineWindow: configuration.onlineWindowSeconds * 1000
        ).register(on: router)
        OperatorTokenAPI<CollectorRequestContext>(store: store, now: now).register(on: router)
        RegistryAPI<CollectorRequestContext>(store: store, now: now, importLimit: configuration.registryImportLimit)
            .register(on: router)
        CoverageAPI<CollectorRequestContext>(
            store: store, configuration: configuration, now: now,
            streams: SpotCheckStreamEvidence(
                store: store, minimumStreamedFraction: configuration.spotcheck.minimumStreamedFraction)
        ).register(on: router)
        SpotCheckRoutes.register(on: router, store: store, commands: dispatcher, configuration: configuration.spotcheck, now: now)
        RecordHookAPI<CollectorRequestContext>(
            hooks: MediaHooksAPI(store: store, configuration: configuration.spotcheck, now: now),
            configuration: configuration.recordings, queue: recordings
        ).register(on: router)
        let patrol = PatrolQueries(
            store: store,
            dispatcher: SpotCheckDispatcher(store: store, commands: dispatcher, configuration: configuration.spotcheck),
            configuration: configuration, now: now)
        PatrolAPI<CollectorRequestContext>(store: store, queries: patrol, now: now).register(on: router)
        EvaluationAPI<CollectorRequestContext>(store: store, rubric: configuration.observation.rubric, now: now)
            .register(on: router)
        SpotCheckNoticeAPI<CollectorRequestContext>(store: store, configuration: configuration, now: now).register(on: router)
        ObservationAPI<CollectorRequestContext>(store: store, configuration: configuration, now: now).register(on: router)
        AlertsAPI<CollectorRequestContext>(store: store, now: now).register(on: router)
        ConsoleRoutes.register(on: router, store: store, configuration: configuration, now: now, commands: dispatcher)
        return router
    }

    /// The application: listens per `configuration`, with a deliberate idle timeout and connection limit.
    public static func application(
        store: any CollectorStore, notifier: CommandNotifier, configuration: CollectorConfiguration, logger: Logger,
        now: @escaping @Sendable () -> Int64 = collectorNow, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        recordings: RecordingQueue = RecordingQueue()
    ) -> some ApplicationProtocol {
        let metrics = CollectorMetrics()
        let router = router(
            store: store, notifier: notifier, metrics: metrics, configuration: configuration, now: now, recordings: recordings)
        let idle = configuration.idleTimeout.components
        var app = Application(
            router: router,
            server: CollectorHTTPChannel.builder(idleTimeout: .seconds(idle.seconds)),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "classroom-collector",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        // Migrations run before the first connection is accepted (the store's pool is already running);
        // then the recording conversion takes its first look at what was left pending (not before: on a
        // new database its table does not exist yet).
        app.beforeServerStarts {
            try await store.migrate()
            recordings.wake()
            // The registry is held in memory between imports (RegistryCache); load it now, beside the
            // first requests, so that the first draw or coverage report after a restart does not pay it.
            Task(priority: .background) { await warmRegistry(store: store, logger: logger) }
        }
        return app
    }
}

/// Reads the registry into its cache and logs how long it took (a province: millions of lessons).
func warmRegistry(store: any RegistryRepository, logger: Logger) async {
    let clock = ContinuousClock()
    let start = clock.now
    do {
        let registry = try await store.registry()
        // The lessons by room and their teachers, kept with the registry (the draw and the usage counter
        // walk them).
        _ = registry.roomLessons
        _ = registry.lessonTeachers
        let d = (clock.now - start).components
        let seconds = Double(d.seconds) + Double(d.attoseconds) / 1e18
        logger.info(
            "registry in memory",
            metadata: [
                "schools": "\(registry.schools.count)", "lessons": "\(registry.lessons.count)",
                "load_s": "\((seconds * 1000).rounded() / 1000)",
            ])
    } catch {
        logger.warning(
            "registry not loaded at start; the first request that needs it loads it", metadata: ["error": "\(error)"])
    }
}

/// Ends every long-poll when graceful shutdown begins (before the HTTP server drains), and tells
/// systemd `STOPPING=1`.
public struct LongPollShutdownService: Service {
    let notifier: CommandNotifier
    let systemd: SystemdNotifier?

    public init(notifier: CommandNotifier, systemd: SystemdNotifier?) {
        self.notifier = notifier
        self.systemd = systemd
    }

    public func run() async throws {
        try? await gracefulShutdown()
        systemd?.stopping()
        notifier.shutdown()
    }
}

/// Wakes local long-polls for commands queued by other collectors on the same database
/// (PostgreSQL LISTEN/NOTIFY); reconnects after a lost connection.
public struct CommandWatchService: Service {
    let store: any CollectorStore
    let notifier: CommandNotifier
    let logger: Logger

    public init(store: any CollectorStore, notifier: CommandNotifier, logger: Logger) {
        self.store = store
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        let notifier = notifier
        // A service that returns ends the group: with nothing to watch (SQLite), wait for shutdown.
        guard !(store is CollectorSQLiteStore) else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await store.watchCommands { notifier.notify(deviceID: $0) }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("command notifications lost; reconnecting", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
