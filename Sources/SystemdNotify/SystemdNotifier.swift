#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The systemd `sd_notify(3)` protocol over the `NOTIFY_SOCKET` datagram socket, without libsystemd.
///
/// Shared by `classroomd` and `classroom-collector`; it imports nothing but the C library, so linking it
/// adds neither Foundation nor any other dependency to the agent.
///
/// - Important: `init` returns nil when `NOTIFY_SOCKET` is unset or empty (not started by systemd with
///   `Type=notify`). An address starting with `@` is an abstract socket. Send failures are returned,
///   never fatal: systemd may have gone away.
public struct SystemdNotifier: Sendable {
    /// The socket address from `NOTIFY_SOCKET`; a leading `@` names an abstract socket.
    public let socketPath: String
    /// Half of `WATCHDOG_USEC` (the interval to send `WATCHDOG=1` at); nil when the watchdog is off
    /// or `WATCHDOG_PID` names another process.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init?(environment: [String: String]) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
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
        // SOCK_CLOEXEC: the agent starts ffmpeg, which must not inherit the descriptor.
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // A leading '@' names an abstract socket: its first byte is NUL and no terminator follows.
        var bytes = Array(socketPath.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        while true {
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    // MSG_NOSIGNAL: a vanished peer is an error return, never SIGPIPE.
                    message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
                }
            }
            if sent < 0, errno == EINTR { continue }
            return sent == message.count
        }
    }

    /// `READY=1`, plus a status line when one is given.
    public func ready(status: String? = nil) { notify("READY=1" + (status.map { "\nSTATUS=\($0)" } ?? "")) }

    /// `RELOADING=1` with the monotonic timestamp systemd requires for `Type=notify-reload`.
    public func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        notify("RELOADING=1\nMONOTONIC_USEC=\(Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000)")
    }

    /// `STOPPING=1`: shutdown has begun.
    public func stopping() { notify("STOPPING=1") }

    /// `STATUS=…`, shown by `systemctl status`.
    public func status(_ text: String) { notify("STATUS=\(text)") }

    /// `WATCHDOG=1`: send every `watchdogInterval`.
    public func watchdog() { notify("WATCHDOG=1") }
}
