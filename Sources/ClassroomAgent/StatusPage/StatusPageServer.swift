import Glibc
import Logging
import ServiceLifecycle
import Synchronization

/// The local status page on `127.0.0.1:PORT` (config `status_port`): a tiny HTTP/1.1 server for the
/// classroom's kiosk shell, one request per connection, on a thread of its own.
///
/// - Important: loopback only; requests are bounded (``maximumRequestBytes``, 2 s to arrive) and
///   anything malformed is answered 400, never a crash. `GET /` is the zh-CN page, `GET /status.json`
///   the same figures for scripts; other paths 404, other methods 405.
public final class StatusPageServer: Service, Sendable {
    /// The port could not be bound, or a socket call failed.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Largest request head read; a longer one is answered 431.
    public static let maximumRequestBytes = 8 * 1024

    let port: Int
    let logger: Logger
    let page: StatusPage
    private let listener = Mutex<(fd: Int32, thread: DedicatedThread?)>((-1, nil))

    /// - Parameters:
    ///   - port: the loopback port; 0 picks a free one (tests).
    ///   - status: the spot-check figures now (called on the server's thread).
    ///   - clock: milliseconds since 1970, for the time left.
    public init(
        port: Int, logger: Logger, status: @escaping @Sendable () -> SpotCheckLiveStatus?,
        clock: @escaping @Sendable () -> Int64 = SpotCheckRunner.wallClock
    ) {
        self.port = port
        self.logger = logger
        self.page = StatusPage(status: status, clock: clock)
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
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            let failure = Self.error("bind 127.0.0.1:\(port)")
            close(fd)
            throw failure
        }
        let page = self.page
        let thread = DedicatedThread.start(name: "cf-status-page") { stop in Self.serve(fd, page: page, stop: stop) }
        guard let thread else {
            close(fd)
            throw StartError(description: "cannot start the status page thread")
        }
        listener.withLock { $0 = (fd, thread) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Stops serving; the thread closes the socket within half a second.
    public func stop() {
        listener.withLock { $0.thread?.stop.set() }
    }

    static func error(_ call: String) -> StartError {
        StartError(description: "\(call): \(String(cString: strerror(errno)))")
    }

    /// The accept loop: waits ½ s at a time so that ``stop()`` is seen.
    static func serve(_ fd: Int32, page: StatusPage, stop: DedicatedThread.StopFlag) {
        defer { close(fd) }
        while !stop.isSet {
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 500) > 0 else { continue }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let response = page.respond(to: readHead(connection))
            writeAll(connection, response)
            shutdown(connection, Int32(SHUT_WR))
            close(connection)
        }
    }

    /// Reads until the end of the request head (blank line), at most ``maximumRequestBytes`` + 1 bytes.
    static func readHead(_ fd: Int32) -> [UInt8] {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while head.count <= maximumRequestBytes {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            head += buffer[0..<count]
            if head.count >= 4 && head.suffix(from: max(0, head.count - count - 3)).containsBlankLine { break }
        }
        return head
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL)) }
            if wrote < 0 && errno == EINTR { continue }
            if wrote <= 0 { return }
            done += wrote
        }
    }
}

extension ArraySlice<UInt8> {
    /// Whether the bytes hold `\r\n\r\n` or `\n\n`.
    fileprivate var containsBlankLine: Bool {
        let bytes = Array(self)
        for index in bytes.indices.dropFirst() where bytes[index] == 10 {
            if bytes[index - 1] == 10 { return true }
            if index >= 3 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 { return true }
        }
        return false
    }
}
