import ClassroomCore
import Glibc
import Logging
import ServiceLifecycle
import Synchronization

/// The local status page on `127.0.0.1:PORT` (config `status_port`): a tiny HTTP/1.1 server for the
/// classroom's kiosk shell, one request per connection, on a thread of its own.
///
/// - Important: loopback only, and it never holds up the daemon or one client another: one thread
///   multiplexes every connection with `poll`, each request and its answer must complete within
///   ``requestDeadlineMillis`` in total (a client that drips bytes is cut off like one that sends
///   nothing), heads are bounded (``maximumRequestBytes``), and only `Host` values of
///   ``LoopbackHostPolicy`` are answered (DNS rebinding). Anything malformed is answered 4xx, never a
///   crash. `GET /` is the zh-CN page, `GET /status.json` the same figures for scripts.
public final class StatusPageServer: Service, Sendable {
    /// The port could not be bound, or a socket call failed.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Largest request head read; a longer one is answered 431.
    public static let maximumRequestBytes = 8 * 1024
    /// Time for a whole request and its answer, from the connection's acceptance.
    public static let requestDeadlineMillis: Int64 = 5_000
    /// Connections served at once; more are answered 503 at once.
    public static let maximumConnections = 32

    let port: Int
    let logger: Logger
    let status: @Sendable () -> SpotCheckLiveStatus?
    let clock: AgentClock
    let extraHosts: [String]
    let deadlineMillis: Int64
    private let listener = Mutex<(fd: Int32, thread: DedicatedThread?)>((-1, nil))

    /// - Parameters:
    ///   - port: the loopback port; 0 picks a free one (tests).
    ///   - status: the spot-check figures now (called on the server's thread).
    ///   - clock: the agent's clock, for the time left.
    ///   - extraHosts: `Host` names answered besides the loopback ones (config `status_hosts`).
    ///   - deadlineMillis: time for a whole request (tests shorten it).
    public init(
        port: Int, logger: Logger, status: @escaping @Sendable () -> SpotCheckLiveStatus?,
        clock: AgentClock = .system, extraHosts: [String] = [],
        deadlineMillis: Int64 = StatusPageServer.requestDeadlineMillis
    ) {
        self.port = port
        self.logger = logger
        self.status = status
        self.clock = clock
        self.extraHosts = extraHosts
        self.deadlineMillis = deadlineMillis
    }

    public func run() async throws {
        do {
            let bound = try start()
            logger.info("status page listening", metadata: ["url": "http://127.0.0.1:\(bound)/"])
        } catch {
            // The page is a convenience: the daemon keeps running without it.
            logger.error("cannot start the local status page", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
        stop()
    }

    /// Binds `127.0.0.1:port` and starts serving; returns the bound port.
    @discardableResult
    public func start() throws(StartError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw Self.error("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            let failure = Self.error("bind 127.0.0.1:\(port)")
            close(fd)
            throw failure
        }
        let boundPort = Int(UInt16(bigEndian: address.sin_port))
        let page = StatusPage(status: status, clock: clock, hosts: LoopbackHostPolicy(port: boundPort, extraNames: extraHosts))
        let deadline = deadlineMillis
        let thread = DedicatedThread.start(name: "cf-status-page") { stop in
            Self.serve(fd, page: page, deadlineMillis: deadline, stop: stop)
        }
        guard let thread else {
            close(fd)
            throw StartError(description: "cannot start the status page thread")
        }
        listener.withLock { $0 = (fd, thread) }
        return boundPort
    }

    /// Stops serving; the thread closes the socket within half a second.
    public func stop() {
        listener.withLock { $0.thread?.stop.set() }
    }

    static func error(_ call: String) -> StartError {
        StartError(description: "\(call): \(String(cString: strerror(errno)))")
    }
}
