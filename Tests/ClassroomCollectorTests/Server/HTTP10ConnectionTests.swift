import ClassroomTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// nginx-rtmp's hooks are HTTP/1.0 requests whose answer is read until the connection closes: the
/// collector closes such a connection once it has answered (it kept it open, and every stream
/// started at nginx-rtmp's 10 s call timeout). HTTP/1.0 with keep-alive and HTTP/1.1 stay open.
@Suite struct HTTP10ConnectionTests {
    /// Sends `request` on a fresh connection to `port`; answers the status line and whether the
    /// collector closed the connection within 5 s of its complete answer (python3, for a raw socket).
    /// The answer itself may take up to 60 s: a loaded machine delays it, not the close that follows.
    static func exchange(_ request: String, port: Int) async throws -> (statusLine: String, closed: Bool) {
        let script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(sys.stdin.buffer.read())
            s.settimeout(60)
            data, closed = b"", False
            def complete(d):
                head, sep, body = d.partition(b"\\r\\n\\r\\n")
                if not sep:
                    return False
                for line in head.split(b"\\r\\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        return len(body) >= int(value.strip())
                return True
            try:
                while True:
                    if complete(data):
                        s.settimeout(5)
                    chunk = s.recv(4096)
                    if not chunk:
                        closed = True
                        break
                    data += chunk
            except socket.timeout:
                pass
            print(data.split(b"\\r\\n")[0].decode(), "closed" if closed else "open")
            """
        // Off the cooperative pool: the collector answering runs on it, in this process.
        let run = try await TestProcess.offPool {
            try TestProcess.run(URL(filePath: "/usr/bin/python3"), ["-c", script, "\(port)"], stdin: Data(request.utf8))
        }
        guard run.status == 0 else { throw TestSupportError("python3: \(run.stderr)") }
        let words = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (String(words.dropLast(words.hasSuffix(" closed") ? 7 : 5)), words.hasSuffix(" closed"))
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
