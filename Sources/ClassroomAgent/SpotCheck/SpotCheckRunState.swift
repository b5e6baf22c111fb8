/// The spot-check runner's decisions as a value: events in, actions out, no I/O.
///
/// ``SpotCheckRunner`` performs the actions (launch or stop ffmpeg, wait, finish) and feeds back what
/// happened. Times are agent-clock milliseconds since 1970.
public struct SpotCheckRunState: Sendable, Hashable {
    /// How a run ended.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Streamed until the lesson ended.
        case completed
        /// Ended early by a stop command.
        case stopped
        /// ffmpeg kept crashing after sending something; restarts exhausted.
        case fault
        /// ffmpeg never sent anything (ingest refused the key or is unreachable); restarts exhausted.
        case notPublished = "not_published"
        /// ffmpeg could not be started at all (not installed).
        case ffmpegMissing = "ffmpeg_missing"
        /// The order arrived after its lesson had ended.
        case lessonOver = "lesson_over"
    }

    /// Where the run is.
    public enum Phase: Sendable, Hashable {
        case idle
        case streaming(stopping: Bool)
        case waitingToRestart(until: Int64)
        case finished(Outcome)
    }

    /// What the runner must do next.
    public enum Action: Sendable, Hashable {
        case launchFFmpeg
        /// Ask ffmpeg to end (SIGINT and the end of its audio input); ``killFFmpeg`` follows after
        /// ``killGraceMillis`` if it has not exited by then.
        case terminateFFmpeg
        /// ffmpeg ignored the request to end: SIGKILL.
        case killFFmpeg
        /// Launch again at this time unless something else happens first.
        case scheduleRestart(at: Int64)
        case finish(Outcome)
    }

    /// What happened. Nothing is polled: the runner feeds what ffmpeg and the commands do as it
    /// happens, and ``tick(now:)`` when the clock reaches ``nextDeadline``.
    public enum Event: Sendable, Hashable {
        case start(now: Int64)
        /// ffmpeg reported progress; `bytes` is what this ffmpeg run has sent so far.
        case progress(bytes: Int64, now: Int64)
        case ffmpegExited(now: Int64)
        /// posix_spawn failed: the executable is missing or not runnable.
        case launchFailed
        /// The clock reached ``nextDeadline`` (or any later time).
        case tick(now: Int64)
        /// A stop command, a preempting spot-check, or the agent shutting down.
        case stop(now: Int64)
    }

    public let lessonEnd: Int64
    public let maximumRestarts: Int
    public let backoffMillis: Int64
    /// How long ffmpeg may send no new bytes before it is taken as stalled and restarted.
    public let stallMillis: Int64
    /// How long ffmpeg has to end after ``Action/terminateFFmpeg`` before it is killed.
    public let killGraceMillis: Int64
    public private(set) var phase: Phase = .idle
    public private(set) var restarts = 0
    /// ffmpeg runs ended because they stalled (each also counts as a restart when it exits).
    public private(set) var stalls = 0
    /// Whether any ffmpeg run has sent bytes.
    public private(set) var published = false
    private var stopRequested = false
    /// When the running ffmpeg last sent new bytes (or was launched), and how many it had sent.
    private var lastProgressAt: Int64 = 0
    private var lastBytes: Int64 = 0
    /// When a terminated ffmpeg is killed; nil while none is being terminated.
    private var killAt: Int64?

    public init(
        lessonEnd: Int64, maximumRestarts: Int = 3, backoffMillis: Int64 = 1_000, stallMillis: Int64 = 30_000,
        killGraceMillis: Int64 = 5_000
    ) {
        self.lessonEnd = lessonEnd
        self.maximumRestarts = maximumRestarts
        self.backoffMillis = backoffMillis
        self.stallMillis = stallMillis
        self.killGraceMillis = killGraceMillis
    }

    /// The backoff before restart number `restart` (1-based): doubling, at most 16 × the base.
    public func backoff(forRestart restart: Int) -> Int64 {
        backoffMillis << Int64(min(max(restart - 1, 0), 4))
    }

    public var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    /// The next time at which a ``Event/tick(now:)`` can change anything (the lesson's end, a
    /// restart, a stall, a kill), or nil when only ffmpeg or a command can.
    public var nextDeadline: Int64? {
        switch phase {
        case .idle, .finished:
            return nil
        case .waitingToRestart(let until):
            return min(until, lessonEnd)
        case .streaming(let stopping):
            var candidates: [Int64] = killAt.map { $0 == .max ? [] : [$0] } ?? []
            if !stopping {
                candidates.append(lessonEnd)
                if killAt == nil { candidates.append(lastProgressAt.saturatingAdd(stallMillis)) }
            }
            return candidates.min()
        }
    }

    /// Applies `event` and returns the actions to perform, in order.
    public mutating func handle(_ event: Event) -> [Action] {
        if isFinished { return [] }
        switch event {
        case .start(let now):
            guard case .idle = phase else { return [] }
            if now >= lessonEnd { return finish(.lessonOver) }
            return launch(now)
        case .progress(let bytes, let now):
            if bytes > 0 { published = true }
            if case .streaming = phase, bytes > lastBytes {
                lastBytes = bytes
                lastProgressAt = now
            }
            return []
        case .launchFailed:
            return finish(.ffmpegMissing)
        case .ffmpegExited(let now):
            guard case .streaming(let stopping) = phase else { return [] }
            killAt = nil
            if stopping || now >= lessonEnd { return finish(stopRequested ? .stopped : .completed) }
            if restarts >= maximumRestarts { return finish(published ? .fault : .notPublished) }
            restarts += 1
            let at = now.saturatingAdd(backoff(forRestart: restarts))
            phase = .waitingToRestart(until: at)
            return [.scheduleRestart(at: at)]
        case .tick(let now):
            return tick(now)
        case .stop(let now):
            stopRequested = true
            switch phase {
            case .streaming(stopping: false):
                phase = .streaming(stopping: true)
                // Already terminating a stalled ffmpeg: its exit now finishes the run.
                return killAt == nil ? terminate(now) : []
            case .streaming(stopping: true):
                return []
            default:
                return finish(.stopped)
            }
        }
    }

    private mutating func tick(_ now: Int64) -> [Action] {
        switch phase {
        case .streaming(let stopping):
            if let at = killAt, now >= at {
                // Killed once; the exit follows (a process in uninterruptible sleep cannot do more).
                killAt = .max
                return [.killFFmpeg]
            }
            guard !stopping, killAt == nil else { return [] }
            if now >= lessonEnd {
                phase = .streaming(stopping: true)
                return terminate(now)
            }
            if now >= lastProgressAt.saturatingAdd(stallMillis) {
                stalls += 1
                return terminate(now)
            }
            return []
        case .waitingToRestart where now >= lessonEnd:
            return finish(published ? .completed : .notPublished)
        case .waitingToRestart(let until) where now >= until:
            return launch(now)
        default:
            return []
        }
    }

    private mutating func launch(_ now: Int64) -> [Action] {
        phase = .streaming(stopping: false)
        lastProgressAt = now
        lastBytes = 0
        killAt = nil
        return [.launchFFmpeg]
    }

    private mutating func terminate(_ now: Int64) -> [Action] {
        killAt = now.saturatingAdd(killGraceMillis)
        return [.terminateFFmpeg]
    }

    private mutating func finish(_ outcome: Outcome) -> [Action] {
        phase = .finished(outcome)
        return [.finish(outcome)]
    }
}
