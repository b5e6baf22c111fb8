import ClassroomWire
import FoundationEssentials
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Streams one spot-check order: chime, notice, ffmpeg (camera + the agent's microphone) to the
/// ingest URL until the lesson ends or ``stop()``; restarts a crashed ffmpeg; returns the evidence.
///
/// Decisions come from ``SpotCheckRunState``; this type only performs them.
public final class SpotCheckRunner: Sendable {
    struct Shared {
        var child: ChildProcess?
        var progress = FFmpegProgress()
        var exited: String?
        var stopRequested = false
        var stopReason: String?
        var live: SpotCheckLiveStatus?
    }

    public let configuration: SpotCheckConfiguration
    let clock: AgentClock
    let logger: Logger
    let chime: (any ChimePlayer)?
    let microphone: any StreamMicrophone
    let shared = Mutex(Shared())

    /// `chime` plays the chime on ``SpotCheckConfiguration/chimeDevice``; `microphone` gives the
    /// stream's samples from ``SpotCheckConfiguration/microphone``. `clock` is the agent's clock (the daemon's, so the lesson window and the evidence follow the
    /// same time as every event).
    public init(
        configuration: SpotCheckConfiguration, logger: Logger, clock: AgentClock = .system, chime: (any ChimePlayer)?,
        microphone: any StreamMicrophone
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.chime = chime
        self.microphone = microphone
    }

    /// Asks a running stream to end (the stop command); safe from any thread. `reason` goes into the
    /// evidence (``SpotCheckRunReport/stopReason``); the first reason given is kept.
    public func stop(reason: String? = nil) {
        shared.withLock {
            $0.stopRequested = true
            $0.stopReason = $0.stopReason ?? reason
        }
    }

    /// The live figures (for the status file and page); nil before the first run.
    public var liveStatus: SpotCheckLiveStatus? { shared.withLock { $0.live } }

    /// Runs `order` to its end and returns the unsigned evidence. Cancelling the task stops the stream.
    public func run(_ order: SpotCheckOrderPayload) async -> SpotCheckRunReport {
        signal(SIGPIPE, SIG_IGN)
        let notice = SpotCheckNotice(configuration: configuration, logger: logger, chime: chime)
        await notice.announce(order)
        var state = SpotCheckRunState(
            lessonEnd: order.lessonEnd, maximumRestarts: configuration.maximumRestarts,
            backoffMillis: configuration.backoffMillis)
        let audio = FFmpegAudioInput()
        let capture = microphone.startCapture(device: configuration.microphone) { audio.write($0) }
        let startedAt = clock.nowMillis()
        var exits: [String] = []
        var frames: Int64 = 0
        var bytes: Int64 = 0
        var lastError: String?
        var runNumber = 0
        var terminateAt: Int64?
        var pending = state.handle(.start(now: startedAt))
        var outcome = SpotCheckRunState.Outcome.completed
        loop: while true {
            for action in pending {
                switch action {
                case .launchFFmpeg:
                    runNumber += 1
                    let log = "\(configuration.stateDirectory)/ffmpeg-\(order.orderID)-\(runNumber).log"
                    do {
                        let child = try ChildProcess.spawn(
                            configuration.ffmpeg, configuration.ffmpegArguments(ingestURL: order.ingestURL),
                            stderrPath: log)
                        logger.info("ffmpeg started", metadata: ["pid": "\(child.pid)", "run": "\(runNumber)"])
                        shared.withLock {
                            $0.child = child
                            $0.progress = FFmpegProgress()
                            $0.exited = nil
                        }
                        audio.attach(child.inputFD)
                        watch(child)
                    } catch {
                        exits.append("spawn failed: \(error.code)")
                        lastError = error.description
                        pending = state.handle(.launchFailed)
                        continue loop
                    }
                case .terminateFFmpeg:
                    // SIGINT, then end of the audio input so that ffmpeg's pipe reader returns and it exits.
                    audio.detach()
                    shared.withLock {
                        $0.child?.send(SIGINT)
                        $0.child?.closeInput()
                    }
                    terminateAt = clock.nowMillis().saturatingAdd(5_000)
                case .scheduleRestart(let at):
                    logger.warning("ffmpeg ended inside the lesson; restarting", metadata: ["at": "\(at)"])
                case .finish(let result):
                    outcome = result
                    break loop
                }
            }
            try? await Task.sleep(for: .milliseconds(100))
            let now = clock.nowMillis()
            let (progress, exited, stopRequested) = shared.withLock { ($0.progress, $0.exited, $0.stopRequested) }
            pending = state.handle(.progress(bytes: progress.totalSize))
            if let exited {
                audio.detach()
                shared.withLock {
                    $0.child?.closeInput()
                    $0.child = nil
                    $0.exited = nil
                }
                exits.append(exited)
                // ffmpeg's figures are another program's output: saturate, never trap.
                frames = frames.saturatingAdd(progress.frame)
                bytes = bytes.saturatingAdd(progress.totalSize)
                if let line = Self.lastLine(ofFile: "\(configuration.stateDirectory)/ffmpeg-\(order.orderID)-\(runNumber).log") {
                    lastError = line
                }
                logger.notice("ffmpeg ended", metadata: ["how": "\(exited)", "run": "\(runNumber)"])
                terminateAt = nil
                pending += state.handle(.ffmpegExited(now: now))
            }
            if stopRequested || Task.isCancelled { pending += state.handle(.stop(now: now)) }
            pending += state.handle(.tick(now: now))
            if let deadline = terminateAt, now >= deadline { shared.withLock { $0.child?.send(SIGKILL) } }
            let speech = capture.report.totals.speechRatio
            var live = SpotCheckLiveStatus(
                state: state.phase == .streaming(stopping: false) ? "streaming" : "restarting", orderID: order.orderID,
                teacherName: order.teacherName, subject: order.subject, lessonEnd: order.lessonEnd,
                frames: frames.saturatingAdd(exited == nil ? progress.frame : 0),
                bytes: bytes.saturatingAdd(exited == nil ? progress.totalSize : 0),
                speechRatio: speech, restarts: state.restarts, ffmpegPID: shared.withLock { $0.child?.pid })
            live.purpose = order.purpose?.rawValue
            shared.withLock { $0.live = live }
            notice.update(live)
        }
        capture.stop()
        audio.detach()
        let (totals, audioError) = (capture.report.totals, capture.report.error)
        let evidence = SpotCheckRunReport(
            orderID: order.orderID, startedAt: startedAt, endedAt: clock.nowMillis(), outcome: outcome.rawValue, frames: frames,
            bytes: bytes, speechRatio: totals.speechRatio, audioFrames: Int64(totals.frames),
            camera: configuration.cameraArguments.joined(separator: " "), microphone: configuration.microphone,
            ffmpegExits: exits, restarts: state.restarts,
            error: outcome == .completed || outcome == .stopped ? audioError : (lastError ?? audioError),
            stopReason: outcome == .stopped ? shared.withLock { $0.stopReason } : nil)
        var final =
            liveStatus
            ?? SpotCheckLiveStatus(
                state: "finished", orderID: order.orderID, teacherName: order.teacherName, subject: order.subject,
                lessonEnd: order.lessonEnd, frames: frames, bytes: bytes, speechRatio: totals.speechRatio,
                restarts: state.restarts)
        final.state = "finished"
        final.ffmpegPID = nil
        final.outcome = outcome.rawValue
        final.purpose = order.purpose?.rawValue
        notice.update(final)
        return evidence
    }

    /// Reads the child's `-progress` lines, then reaps it, on a thread of its own.
    private func watch(_ child: ChildProcess) {
        DedicatedThread.run(name: "cf-ffmpeg") { [self] in
            var progress = FFmpegProgress()
            readLines(child.outputFD) { line in
                if progress.apply(line: line) { shared.withLock { $0.progress = progress } }
            }
            let how = child.wait()
            shared.withLock {
                $0.progress = progress
                $0.exited = how
            }
        }
    }

    /// The last non-empty line of a small text file (ffmpeg's error log).
    static func lastLine(ofFile path: String) -> String? {
        guard let data = try? Data(contentsOf: URL(filePath: path)) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init)
    }
}
