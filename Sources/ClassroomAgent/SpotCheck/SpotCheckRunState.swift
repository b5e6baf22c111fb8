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
        /// Ask ffmpeg to end (SIGINT, then SIGKILL after a grace period).
        case terminateFFmpeg
        /// Launch again at this time unless something else happens first.
        case scheduleRestart(at: Int64)
        case finish(Outcome)
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        case start(now: Int64)
        /// ffmpeg reported progress; `bytes` is what this ffmpeg run has sent so far.
        case progress(bytes: Int64)
        case ffmpegExited(now: Int64)
        /// posix_spawn failed: the executable is missing or not runnable.
        case launchFailed
        case tick(now: Int64)
        case stop(now: Int64)
    }

    public let lessonEnd: Int64
    public let maximumRestarts: Int
    public let backoffMillis: Int64
    public private(set) var phase: Phase = .idle
    public private(set) var restarts = 0
    /// Whether any ffmpeg run has sent bytes.
    public private(set) var published = false
    private var stopRequested = false

    public init(lessonEnd: Int64, maximumRestarts: Int = 3, backoffMillis: Int64 = 1_000) {
        self.lessonEnd = lessonEnd
        self.maximumRestarts = maximumRestarts
        self.backoffMillis = backoffMillis
    }

    /// The backoff before restart number `restart` (1-based): doubling, at most 16 × the base.
    public func backoff(forRestart restart: Int) -> Int64 {
        backoffMillis << Int64(min(max(restart - 1, 0), 4))
    }

    public var isFinished: Bool {
        if case .finished = phase { return true }
        return false
    }

    /// Applies `event` and returns the actions to perform, in order.
    public mutating func handle(_ event: Event) -> [Action] {
        if isFinished { return [] }
        switch event {
        case .start(let now):
            guard case .idle = phase else { return [] }
            if now >= lessonEnd { return finish(.lessonOver) }
            phase = .streaming(stopping: false)
            return [.launchFFmpeg]
        case .progress(let bytes):
            if bytes > 0 { published = true }
            return []
        case .launchFailed:
            return finish(.ffmpegMissing)
        case .ffmpegExited(let now):
            guard case .streaming(let stopping) = phase else { return [] }
            if stopping || now >= lessonEnd { return finish(stopRequested ? .stopped : .completed) }
            if restarts >= maximumRestarts { return finish(published ? .fault : .notPublished) }
            restarts += 1
            let at = now.saturatingAdd(backoff(forRestart: restarts))
            phase = .waitingToRestart(until: at)
            return [.scheduleRestart(at: at)]
        case .tick(let now):
            switch phase {
            case .streaming(stopping: false) where now >= lessonEnd:
                phase = .streaming(stopping: true)
                return [.terminateFFmpeg]
            case .waitingToRestart where now >= lessonEnd:
                return finish(published ? .completed : .notPublished)
            case .waitingToRestart(let until) where now >= until:
                phase = .streaming(stopping: false)
                return [.launchFFmpeg]
            default:
                return []
            }
        case .stop:
            stopRequested = true
            switch phase {
            case .streaming(stopping: false):
                phase = .streaming(stopping: true)
                return [.terminateFFmpeg]
            case .streaming(stopping: true):
                return []
            default:
                return finish(.stopped)
            }
        }
    }

    private mutating func finish(_ outcome: Outcome) -> [Action] {
        phase = .finished(outcome)
        return [.finish(outcome)]
    }
}
