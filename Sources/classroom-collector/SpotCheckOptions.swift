import ArgumentParser
import ClassroomCollector
import ClassroomCore
import Foundation
import Logging
import ServiceLifecycle

/// The spot-check options of `classroom-collector serve`.
struct SpotCheckOptions: ParsableArguments {
    @Option(name: .customLong("spotcheck-zone"), help: "The county's time zone (tz name) of lesson times.")
    var zone = "Asia/Shanghai"

    @Option(
        name: .customLong("spotcheck-ingest"), help: "The RTMP application agents push to, such as rtmp://media.example/live.")
    var ingest = "rtmp://127.0.0.1/live"

    @Option(
        name: .customLong("patrol-ingest"),
        help:
            "The RTMP application patrol (巡课) orders push to (default: --spotcheck-ingest with its last path segment replaced by 'patrol')."
    )
    var patrolIngest: String?

    @Option(
        name: .customLong("patrol-startup-grace"),
        help: "Seconds a new patrol is kept without a viewer while the room starts streaming.")
    var patrolStartupGrace: Int64 = 60

    @Option(name: .customLong("spotcheck-lead"), help: "Seconds before the lesson starts that its order reaches the room.")
    var lead: Int64 = 60

    @Option(
        name: .customLong("spotcheck-grace"), help: "Seconds of grace around the lesson window for a stream to start and end.")
    var grace: Int64 = 300

    @Option(
        name: .customLong("media-secret-file"),
        help:
            "File holding the secret nginx-rtmp sends as ?secret= on on_publish (or set CLASSROOM_MEDIA_SECRET); without it every publish is refused."
    )
    var mediaSecretFile: String?

    @Option(
        name: .customLong("spotcheck-draw-at"),
        help: "Draw the following week by itself at this time every week, such as 'sun 20:00' (county zone).")
    var drawAt: String?

    @Option(name: .customLong("spotcheck-count"), help: "Teachers per scheduled draw.")
    var count = 20

    @Option(name: .customLong("spotcheck-beacon-file"), help: "A file whose content at draw time is the scheduled draw's beacon.")
    var beaconFile: String?

    @OptionGroup var selftest: SelfTestOptions

    func configuration() throws -> SpotCheckConfiguration {
        let zone: CountyTimeZone
        do {
            zone = try CountyTimeZone.named(self.zone)
        } catch {
            throw ValidationError("--spotcheck-zone: \(error)")
        }
        guard ingest.hasPrefix("rtmp://") || ingest.hasPrefix("rtmps://") else {
            throw ValidationError("--spotcheck-ingest must be an rtmp:// URL, not '\(ingest)'")
        }
        if let patrolIngest, !(patrolIngest.hasPrefix("rtmp://") || patrolIngest.hasPrefix("rtmps://")) {
            throw ValidationError("--patrol-ingest must be an rtmp:// URL, not '\(patrolIngest)'")
        }
        guard (0...3600).contains(patrolStartupGrace) else {
            throw ValidationError("--patrol-startup-grace must be 0…3600 seconds")
        }
        guard (0...3600).contains(lead), (0...3600).contains(grace) else {
            throw ValidationError("--spotcheck-lead and --spotcheck-grace must be 0…3600 seconds")
        }
        var secret = ProcessInfo.processInfo.environment["CLASSROOM_MEDIA_SECRET"]
        if let mediaSecretFile {
            guard let text = try? String(contentsOfFile: mediaSecretFile, encoding: .utf8) else {
                throw ValidationError("--media-secret-file: cannot read \(mediaSecretFile)")
            }
            secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var configuration = SpotCheckConfiguration(
            zone: zone, ingestURL: ingest, leadSeconds: lead, graceSeconds: grace, mediaHookSecret: secret)
        configuration.patrolIngestURL = patrolIngest
        configuration.selfTestIngestURL = try selftest.ingestURL()
        _ = try selftest.configuration()  // a bad --selftest-* value stops `serve` before anything starts
        return configuration
    }

    /// The patrol settings of `serve`.
    func patrolConfiguration() -> PatrolConfiguration {
        PatrolConfiguration(startupGraceMillis: patrolStartupGrace * 1000)
    }

    /// The dispatcher, the patrol stopper, the self-test scheduler (unless `--no-selftest`), and the
    /// draw scheduler when `--spotcheck-draw-at` is given.
    func services(
        store: any CollectorStore, notifier: CommandNotifier, configuration: SpotCheckConfiguration,
        patrol: PatrolConfiguration = PatrolConfiguration(), logger: Logger
    ) throws -> [any Service] {
        let commands = CommandDispatcher(queue: store, notifier: notifier)
        var services: [any Service] = [
            SpotCheckDispatchService(
                dispatcher: SpotCheckDispatcher(store: store, commands: commands, configuration: configuration), logger: logger),
            PatrolStopService(
                stopper: PatrolStopper(store: store, commands: commands, spotcheck: configuration, configuration: patrol),
                logger: logger),
        ]
        if !selftest.disabled {
            services.append(
                SelfTestService(
                    scheduler: SelfTestScheduler(
                        store: store, spotcheck: configuration, configuration: try selftest.configuration()),
                    logger: logger))
        }
        if let drawAt {
            guard let schedule = SpotCheckSchedule(parsing: drawAt, count: count, beaconFile: beaconFile) else {
                throw ValidationError("--spotcheck-draw-at must be WEEKDAY HH:MM such as 'sun 20:00', not '\(drawAt)'")
            }
            services.append(
                SpotCheckScheduler(
                    drawer: SpotCheckDrawer(store: store, configuration: configuration), schedule: schedule, logger: logger))
        }
        return services
    }
}
