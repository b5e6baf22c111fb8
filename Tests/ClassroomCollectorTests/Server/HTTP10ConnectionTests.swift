import ClassroomTestSupport
import Foundation
import Glibc
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// nginx-rtmp's hooks are HTTP/1.0 requests whose answer is read until the connection closes: the
/// collector closes such a connection once it has answered (it kept it open, and every stream
/// started at nginx-rtmp's 10 s call timeout). HTTP/1.0 with keep-alive and HTTP/1.1 stay open.
@Suite struct HTTP10ConnectionTests {
    /// Sends `request` on a fresh connection to `port`; answers the status line and whether the
    /// collector closed the connection within 5 s of its complete answer (a blocking socket on a
    /// thread of its own, off the cooperative pool the collector answers on). The answer itself may
    /// take up to 60 s: a loaded machine delays it, not the close that follows.
    static func exchange(_ request: String, port: Int) async throws -> (statusLine: String, closed: Bool) {
        let data = try await TestProcess.offPool { try RawExchange(port: port).run(Array(request.utf8)) }
        let text = String(decoding: data.bytes, as: UTF8.self)
        return (String(text.split(separator: "\r\n", omittingEmptySubsequences: false).first ?? ""), data.closed)
    }

    @Test func anHTTP10RequestWithoutKeepAliveEndsItsConnection() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.live) { client in
                let port = try #require(client.port)
                // The request nginx-rtmp makes for on_publish (a wrong hook secret: refused, and closed).
                let hook = try await Self.exchange(
                    "POST /api/v1/media/on_publish?secret=wrong HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\nname=abc",
                    port: port)
                #expect(hook.statusLine == "HTTP/1.1 403 Forbidden" && hook.closed, "\(hook)")
                let plain = try await Self.exchange("GET /healthz HTTP/1.0\r\n\r\n", port: port)
                #expect(plain.statusLine == "HTTP/1.1 200 OK" && plain.closed, "\(plain)")
                // Keep-alive asked for, or HTTP/1.1: the connection stays open for the next request.
                let kept = try await Self.exchange("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", port: port)
                #expect(kept.statusLine == "HTTP/1.1 200 OK" && !kept.closed, "\(kept)")
                let http11 = try await Self.exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: port)
                #expect(http11.statusLine == "HTTP/1.1 200 OK" && !http11.closed, "\(http11)")
            }
        }
    }
}

/// One HTTP exchange on a blocking TCP socket: sends the request, reads until the answer is complete
/// (60 s), then waits up to 5 s more for the peer to close.
private struct RawExchange {
    let port: Int

    func run(_ request: [UInt8]) throws -> (bytes: [UInt8], closed: Bool) {
        let fd = try Loopback.connect(port: port)
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestSupportError("send: errno \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        setTimeout(fd, seconds: 60)
        while true {
            if Self.complete(received) { setTimeout(fd, seconds: 5) }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return (received, true) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return (received, false) }
                throw TestSupportError("recv: errno \(errno)")
            }
            received += buffer[0..<n]
        }
    }

    private func setTimeout(_ fd: Int32, seconds: Int) {
        var t = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Whether `d` holds a whole answer: its head, and as many body bytes as its Content-Length says.
    static func complete(_ d: [UInt8]) -> Bool {
        let text = String(decoding: d, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return false }
        let body = text[split.upperBound...].utf8.count
        for line in text[..<split.lowerBound].split(separator: "\r\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                return body >= Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return true
    }
}
