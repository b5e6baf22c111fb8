import FoundationEssentials
import Glibc

/// The systemd `sd_notify` protocol over the `NOTIFY_SOCKET` datagram socket, without libsystemd.
///
/// - Important: a no-op when `NOTIFY_SOCKET` is unset (not started by systemd). A path starting with
///   `@` is an abstract socket. Send failures are returned, never fatal.
public struct SystemdNotifier: Sendable {
    /// The socket address, nil when not under systemd.
    public let socketPath: String?
    /// Half of `WATCHDOG_USEC` (the interval to send `WATCHDOG=1` at), nil when the watchdog is off
    /// or `WATCHDOG_PID` names another process.
    public let watchdogInterval: Duration?

    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        if let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0,
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true
        {
            watchdogInterval = .microseconds(usec / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Sends one datagram of `KEY=VALUE` lines; returns false when it could not be sent.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(socketPath.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
            }
        }
        return sent == message.count
    }

    /// `READY=1` plus a status line.
    public func ready(status: String) { notify("READY=1\nSTATUS=\(status)") }

    /// `RELOADING=1` with the monotonic timestamp systemd requires for `Type=notify-reload`.
    public func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        notify("RELOADING=1\nMONOTONIC_USEC=\(Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000)")
    }

    public func stopping() { notify("STOPPING=1") }

    public func status(_ text: String) { notify("STATUS=\(text)") }

    public func watchdog() { notify("WATCHDOG=1") }
}
