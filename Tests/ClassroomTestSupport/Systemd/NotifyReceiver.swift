import Foundation

/// A bound unix datagram socket standing in for systemd's `NOTIFY_SOCKET`: a file path, or an
/// abstract name when `address` starts with `@` (written to `sun_path` with a leading NUL). Used by the
/// notifier's own tests and by the daemons' process tests.
public final class NotifyReceiver: @unchecked Sendable {
    /// What to put in `NOTIFY_SOCKET`.
    public let address: String
    private let fd: Int32

    /// Binds `address`; each receive waits at most `timeout`.
    public init(address: String, timeout: Duration = .seconds(2)) throws {
        self.address = address
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket: errno \(errno)") }
        var sun = sockaddr_un()
        sun.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &sun.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &sun) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            close(fd)
            throw TestSupportError("bind \(address): errno \(errno)")
        }
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A socket file `notify.sock` in `directory`.
    public convenience init(directory: URL, timeout: Duration = .seconds(2)) throws {
        try self.init(address: directory.appending(path: "notify.sock").path, timeout: timeout)
    }

    deinit { close(fd) }

    /// The next datagram, nil when none came within the timeout.
    public func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : nil
    }

    /// The next datagram; an error naming the socket when none came within the timeout.
    public func next() throws -> String {
        guard let message = receive() else { throw TestSupportError("no sd_notify message on \(address): errno \(errno)") }
        return message
    }

    /// Collects datagrams until one contains `needle` (returned with those before it), or `seconds` pass.
    public func collect(until needle: String, seconds: Double = 20) -> [String] {
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let m = receive() {
                messages.append(m)
                if m.contains(needle) { break }
            }
        }
        return messages
    }
}
