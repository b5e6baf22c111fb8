import ClassroomWire
import FoundationEssentials
import Logging
import ServiceLifecycle
import Synchronization

/// The daemon's spot-check: answers `spotcheck_start` / `spotcheck_stop` / `chime` commands at once
/// and runs the stream in its own `run()`, so that a stop command and SIGTERM reach it.
///
/// - Important: at most one stream at a time. A spot-check start preempts a patrol (巡课) stream (the
///   patrol's evidence says why); a patrol start while anything else streams is refused as busy. A second start for the order that is streaming (or has
///   streamed) is answered again without a second stream: the poller resumes commands after a restart.
///   Every run ends with signed evidence in the durable outbox, also when the room cannot stream at
///   all (`fault` = `no_camera`, `no_microphone`, `ffmpeg_failed: …`).
public final class SpotCheckService: SpotCheckActions, Service, Sendable {
    struct Job: Sendable {
        var order: SpotCheckOrderPayload
        var runner: SpotCheckRunner
    }

    struct Shared {
        var current: Job?
        /// Outcomes of orders already run, by order id (the last ``rememberedOrders``).
        var finished: [(orderID: String, outcome: String)] = []
        /// The last stream's final figures (for the status page once it is over).
        var last: SpotCheckLiveStatus?
        var shuttingDown = false
    }

    static let rememberedOrders = 32

    let settings: AgentConfig
    let devices: SpotCheckDevices
    let signer: EvidenceSigner
    let outbox: Outbox
    let logger: Logger
    let clock: AgentClock
    let hardware: AgentHardware
    let sharedMicrophone: (any MicrophoneSharing)?
    let shared = Mutex(Shared())
    let jobs: AsyncStream<Job>
    let queue: AsyncStream<Job>.Continuation

    /// - Parameters:
    ///   - config: the agent config (`camera`, `microphone`, `chime_device`, `notify_command`, `ffmpeg`,
    ///     `state_directory`).
    ///   - hardware: the machine's adapters: the inventory (where a camera and microphone are found
    ///     when the config names none), the chime, the stream's microphone, and the usage meter
    ///     (``AgentHardware/speech``), which lends the microphone to each stream (``MicrophoneSharing``).
    ///   - clock: the agent's clock; nil: the outbox's (the daemon's one clock), so the lesson window and
    ///     the evidence follow the same time as every event.
    public init(
        config: AgentConfig, hardware: AgentHardware, signer: EvidenceSigner, outbox: Outbox, logger: Logger,
        clock: AgentClock? = nil
    ) {
        self.hardware = hardware
        self.sharedMicrophone = hardware.speech as? any MicrophoneSharing
        self.settings = config
        self.devices = SpotCheckDevices(config: config, hardware: hardware)
        self.signer = signer
        self.outbox = outbox
        self.logger = logger
        self.clock = clock ?? outbox.clock
        (jobs, queue) = AsyncStream.makeStream(of: Job.self)
    }

    // MARK: Commands

    public func start(_ order: SpotCheckOrderPayload, commandID: String) async -> CommandResult {
        if let problem = Self.problem(with: order, now: clock.nowMillis(), ingestHost: settings.ingestHost) {
            logger.warning("refused a spot-check order", metadata: ["order": "\(order.orderID)", "problem": "\(problem)"])
            return CommandResult(commandID: commandID, status: "failed", message: problem)
        }
        if let answer = repeated(order.orderID, commandID: commandID) { return answer }
        let chosen = await devices.resolve()
        guard case .ready(let camera, let microphone) = chosen else {
            guard case .missing(let fault, let camera, let microphone) = chosen else { return failed(commandID, "no devices") }
            logger.error("cannot stream the called lesson", metadata: ["order": "\(order.orderID)", "fault": "\(fault)"])
            let now = clock.nowMillis()
            remember(order.orderID, outcome: fault)
            await appendEvidence(
                SpotCheckEvidencePayload(
                    orderID: order.orderID, startedAt: now, endedAt: now, frames: 0, bytesSent: 0, speechRatio: 0,
                    camera: camera, microphone: microphone, fault: fault))
            return failed(commandID, String(fault.map { $0 == "_" ? " " : $0 }))
        }
        var configuration = SpotCheckConfiguration(
            cameraArguments: camera, microphone: microphone, chimeDevice: settings.chimeDevice,
            notifyCommand: settings.notifyCommand, stateDirectory: settings.stateDirectory)
        configuration.ffmpeg = settings.ffmpeg
        configuration.videoSize = settings.streamVideoSize
        configuration.threads = settings.streamThreads
        if order.isSelfTest {
            // The weekly self-test runs outside lesson time and calls nobody: no chime, no notice.
            configuration.chimeDevice = nil
            configuration.notifyCommand = nil
        }
        guard let streamMicrophone = hardware.streamMicrophone else { return failed(commandID, "no microphone") }
        let runner = SpotCheckRunner(
            configuration: configuration, logger: logger, clock: clock, chime: hardware.chime, microphone: streamMicrophone)
        let job = Job(order: order, runner: runner)
        switch admit(job) {
        case .refused(let reason):
            return failed(commandID, reason)
        case .already:
            return CommandResult(commandID: commandID, status: "started", message: "already streaming this order")
        case .preempting(let patrol):
            patrol.runner.stop(reason: "preempted by spot-check order \(order.orderID)")
            logger.notice(
                "a spot-check preempts the patrol stream",
                metadata: ["order": "\(order.orderID)", "patrol": "\(patrol.order.orderID)"])
        case .admitted:
            break
        }
        logger.notice(
            order.isSelfTest
                ? "self-test order: streaming briefly"
                : order.isPatrol ? "patrol order: streaming the lesson" : "spot-check order: streaming the lesson",
            metadata: ["order": "\(order.orderID)", "camera": "\(camera.joined(separator: " "))", "microphone": "\(microphone)"])
        queue.yield(job)
        return CommandResult(commandID: commandID, status: "started")
    }

    public func stop(orderID: String?, commandID: String) async -> CommandResult {
        guard let job = shared.withLock({ $0.current }) else {
            return CommandResult(commandID: commandID, status: "ignored", message: "no spot-check stream is running")
        }
        if let orderID, orderID != job.order.orderID {
            return CommandResult(
                commandID: commandID, status: "ignored",
                message: "order \(orderID) is not streaming (streaming order \(job.order.orderID))")
        }
        job.runner.stop(reason: "stopped by the collector")
        logger.notice("spot-check stream stopped by command", metadata: ["order": "\(job.order.orderID)"])
        return CommandResult(commandID: commandID, status: "done", message: "stopping order \(job.order.orderID)")
    }

    public func chime(commandID: String) async -> CommandResult {
        guard let device = settings.chimeDevice else {
            return failed(commandID, "no chime device (chime_device = \"none\")")
        }
        guard let chime = hardware.chime else { return failed(commandID, "this agent has no chime player") }
        do {
            try await chime.playChime(device: device)
        } catch {
            return failed(commandID, error.description)
        }
        return CommandResult(commandID: commandID, status: "done")
    }

    // MARK: Service

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await job in jobs { await perform(job) }
        } onGracefulShutdown: {
            let running = self.shared.withLock { shared in
                shared.shuttingDown = true
                return shared.current?.runner
            }
            running?.stop()
            self.queue.finish()
        }
    }

    /// The stream now, or the last one; nil before the first order.
    public var liveStatus: SpotCheckLiveStatus? {
        let (current, last) = shared.withLock { ($0.current, $0.last) }
        guard let current else { return last }
        if let live = current.runner.liveStatus { return live }
        var starting = SpotCheckLiveStatus(
            state: "starting", orderID: current.order.orderID, teacherName: current.order.teacherName,
            subject: current.order.subject, lessonEnd: current.order.lessonEnd, frames: 0, bytes: 0, speechRatio: 0,
            restarts: 0)
        starting.purpose = current.order.purpose?.rawValue
        return starting
    }

    func perform(_ job: Job) async {
        if shared.withLock({ $0.shuttingDown }) { job.runner.stop() }
        await sharedMicrophone?.lend()
        let report = await job.runner.run(job.order)
        sharedMicrophone?.takeBack()
        logger.notice(
            "spot-check stream ended",
            metadata: [
                "order": "\(report.orderID)", "outcome": "\(report.outcome)", "frames": "\(report.frames)",
                "bytes": "\(report.bytes)", "speech_ratio": "\(report.speechRatio)",
            ])
        var final =
            job.runner.liveStatus
            ?? SpotCheckLiveStatus(
                state: "finished", orderID: report.orderID, teacherName: job.order.teacherName, subject: job.order.subject,
                lessonEnd: job.order.lessonEnd, frames: report.frames, bytes: report.bytes, speechRatio: report.speechRatio,
                restarts: report.restarts)
        final.state = "finished"
        final.frames = report.frames
        final.bytes = report.bytes
        final.speechRatio = report.speechRatio
        final.ffmpegPID = nil
        final.outcome = report.outcome
        final.purpose = job.order.purpose?.rawValue
        // The run is over for anyone asking from here on (status page, a repeated order), before the
        // evidence is queued: whoever sees the evidence also sees the finished state.
        remember(report.orderID, outcome: report.outcome)
        shared.withLock {
            $0.last = final
            // A spot-check that preempted this patrol is current already: leave it.
            if $0.current?.runner === job.runner { $0.current = nil }
        }
        await appendEvidence(report.payload)
    }
}
