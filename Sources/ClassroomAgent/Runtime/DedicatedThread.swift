import Glibc
import Synchronization

/// Runs blocking C calls (netlink, evdev `poll`, ALSA capture and playback, a child's pipes and
/// `waitpid`) on a thread of their own, never on the Swift concurrency pool, and lets the owner ask
/// them to stop. The agent's one thread helper.
///
/// - Important: the body must check ``StopFlag/isSet`` at least every second or so; the thread is
///   detached and ends when the body returns.
final class DedicatedThread: Sendable {
    /// Set by the owner, read by the thread's body.
    final class StopFlag: Sendable {
        private let flag = Atomic<Bool>(false)
        var isSet: Bool { flag.load(ordering: .acquiring) }
        func set() { flag.store(true, ordering: .releasing) }
    }

    let stop = StopFlag()
    /// Which adapter the thread serves (`cf-speech`, …), for log messages.
    let name: String

    private init(name: String) { self.name = name }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts `body` on a new detached thread; `name` says which adapter it serves.
    /// Returns nil when the system refuses a thread (the caller logs it and reports no signal).
    static func start(name: String, _ body: @escaping @Sendable (StopFlag) -> Void) -> DedicatedThread? {
        let thread = DedicatedThread(name: name)
        let stop = thread.stop
        let box = Unmanaged.passRetained(Box { body(stop) })
        var handle = pthread_t()
        let rc = pthread_create(
            &handle, nil,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, box.toOpaque())
        guard rc == 0 else {
            box.release()
            return nil
        }
        pthread_detach(handle)
        return thread
    }

    /// Runs `body` once on a new detached thread, for blocking work that ends by itself (reaping a
    /// child, playing a chime). When the system refuses a thread, `body` runs on the caller's thread,
    /// so the work is never lost.
    static func run(name: String, _ body: @escaping @Sendable () -> Void) {
        if start(name: name, { _ in body() }) == nil { body() }
    }

    /// Sleeps up to `seconds` in short steps, returning early (false) once `stop` is set.
    static func sleep(seconds: Double, unless stop: StopFlag) -> Bool {
        // An infinite or NaN wait would never end (inf − 0.1 is inf) or never start: at most a minute.
        var left = seconds.isFinite ? min(seconds, 60) : 0
        while left > 0 {
            if stop.isSet { return false }
            let step = min(left, 0.1)
            usleep(UInt32(step * 1_000_000))
            left -= step
        }
        return !stop.isSet
    }
}
