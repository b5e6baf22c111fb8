import ClassroomWire
import FoundationEssentials
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Streams one spot-check order: chime, notice, ffmpeg (camera + the agent's microphone) to the
/// ingest URL until the lesson ends or ``stop(reason:)``; restarts a crashed or stalled ffmpeg;
/// returns the evidence.
///
/// Decisions come from ``SpotCheckRunState``; this type only performs them. Nothing is polled: what
/// ffmpeg does (progress, exit), stop commands and shutdown arrive as events, and a timer wakes the
/// runner at the state's ``SpotCheckRunState/nextDeadline``. One runner runs one order, once.
public final class SpotCheckRunner: Sendable {
    /// What happens to a run, as it happens.
    enum Happening: Sendable {
        /// A `-progress` block of ffmpeg run number `run`.
        case progress(FFmpegProgress, run: Int)
        /// ffmpeg run number `run` ended (`exit N`, `signal N`) with its last progress.
        case exited(String, FFmpegProgress, run: Int)
        case stop
        /// The clock reached the state's next deadline.
        case deadline
    }

    struct Shared {
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
    let happenings: AsyncStream<Happening>
    let happen: AsyncStream<Happening>.Continuation

    /// `chime` plays the chime on ``SpotCheckConfiguration/chimeDevice``; `microphone` gives the
    /// stream's samples from ``SpotCheckConfiguration/microphone``. `clock` is the agent's clock (the
    /// daemon's, so the lesson window and the evidence follow the same time as every event).
    public init(
        configuration: SpotCheckConfiguration, logger: Logger, clock: AgentClock = .system, chime: (any ChimePlayer)?,
        microphone: any StreamMicrophone
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.chime = chime
        self.microphone = microphone
        (happenings, happen) = AsyncStream.makeStream(of: Happening.self)
    }

    /// Asks the stream to end (the stop command, a preempting spot-check, shutdown); safe from any
    /// thread, also before ``run(_:)``. `reason` goes into the evidence
    /// (``SpotCheckRunReport/stopReason``); the first reason given is kept.
    public func stop(reason: String? = nil) {
        shared.withLock {
            $0.stopRequested = true
            $0.stopReason = $0.stopReason ?? reason
        }
        happen.yield(.stop)
    }

    /// The live figures (for the status file and page); nil before the first run.
    public var liveStatus: SpotCheckLiveStatus? { shared.withLock { $0.live } }

    /// Runs `order` to its end and returns the unsigned evidence. Cancelling the task stops the stream.
    public func run(_ order: SpotCheckOrderPayload) async -> SpotCheckRunReport {
        signal(SIGPIPE, SIG_IGN)
        let notice = SpotCheckNotice(configuration: configuration, logger: logger, chime: chime)
        let stoppedEarly = shared.withLock { $0.stopRequested }
        if !stoppedEarly { await notice.announce(order) }
        var stream = Stream(
            order: order,
            state: SpotCheckRunState(
                lessonEnd: order.lessonEnd, maximumRestarts: configuration.maximumRestarts,
                backoffMillis: configuration.backoffMillis, stallMillis: configuration.stallMillis),
            capture: nil, statusFile: SpotCheckStatusFile(path: notice.statusPath))
        let audio = FFmpegAudioInput()
        stream.capture = microphone.startCapture(device: configuration.microphone) { audio.write($0) }
        let startedAt = clock.nowMillis()
        // A stop that came first (shutdown) is already queued as a happening: nothing is launched then.
        var pending = stoppedEarly ? [] : stream.state.handle(.start(now: startedAt))
        var timer: Task<Void, Never>?
        var timerAt: Int64?
        let outcome = await withTaskCancellationHandler {
            var iterator = happenings.makeAsyncIterator()
            while true {
                if let outcome = perform(pending, &stream, audio) { return outcome }
                publish(&stream, now: clock.nowMillis())
                // One timer for the earliest deadline; a later one only needs a new timer once this fires
                // (an early tick changes nothing), so progress twice a second starts no timers.
                if let at = stream.state.nextDeadline, timerAt.map({ at < $0 }) ?? true {
                    timer?.cancel()
                    timerAt = at
                    timer = Task { [clock, happen] in
                        guard (try? await clock.sleep(untilMillis: at)) != nil else { return }
                        happen.yield(.deadline)
                    }
                }
                guard let happening = await iterator.next() else { return .stopped }
                if case .deadline = happening { timerAt = nil }
                pending = react(to: happening, &stream, audio)
            }
        } onCancel: {
            self.stop()
        }
        timer?.cancel()
        happen.finish()
        stream.capture?.stop()
        audio.detach()
        return finish(order, &stream, outcome: outcome, startedAt: startedAt, notice: notice)
    }
}
