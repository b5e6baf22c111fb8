import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// TCP sockets on 127.0.0.1 for tests that speak to a server byte by byte (or check a port).
public enum Loopback {
    /// A new TCP socket connected to 127.0.0.1:`port`; throws `ECONNREFUSED` (the socket closed)
    /// when nothing accepts.
    public static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket: errno \(errno)") }
        let connected = withAddress(port: port) { Glibc.connect(fd, $0, $1) }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        return fd
    }

    /// Binds `fd` to 127.0.0.1:`port`; whether it could.
    public static func bind(_ fd: Int32, port: Int) -> Bool {
        withAddress(port: port) { Glibc.bind(fd, $0, $1) } == 0
    }

    /// Calls `body` with the socket address of 127.0.0.1:`port` and its length.
    public static func withAddress<T>(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
