import ClassroomAgent
import Foundation
import Testing

/// The status page against hostile clients: a whole-request deadline, the `Host` check against DNS
/// rebinding, the size cap, and one client never holding up another.
@Suite struct StatusPageHardeningTests {
    typealias Page = StatusPageServerTests.Page

    /// Whether the server has answered or closed (something to read, or end of stream), without waiting.
    static func serverSpoke(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
    }

    @Test func slowDripClientIsCutOffByTheWholeRequestDeadlineWhileOthersAreServed() async throws {
        let page = try Page(deadlineMillis: 2_000)
        let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(page.port)\r\nUser-Agent: drip\r\n\r\n".utf8)
        let drip = try page.connectClient()
        defer { close(drip) }
        let silent = try page.connectClient()
        defer { close(silent) }
        // One byte every 250 ms: each read succeeds long before a per-read timeout, but the whole
        // head would take over 15 s; the 2 s deadline must cut it off.
        var sent = 0
        var servedMeanwhile: [Int] = []
        while sent < request.count && !Self.serverSpoke(drip) {
            _ = request[sent...].withUnsafeBytes { send(drip, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }
            sent += 1
            if sent % 2 == 1 { servedMeanwhile.append(try page.get("/status.json").status) }
            try await Task.sleep(for: .milliseconds(250))
        }
        let answer = Page.readAnswer(drip)
        #expect(sent < request.count, "the dripping client was never cut off")
        #expect(answer.status == 408, "\(answer.head)")
        #expect(!servedMeanwhile.isEmpty && servedMeanwhile.allSatisfy { $0 == 200 }, "\(servedMeanwhile)")
        // The client that sent nothing was cut off too, and the page still answers.
        #expect(Page.readAnswer(silent).status == 408)
        #expect(try page.get("/").status == 200)
    }

    @Test func manyIdleClientsDoNotStopTheNextOne() throws {
        let page = try Page(deadlineMillis: 3_000)
        let idle = try (0..<10).map { _ in try page.connectClient() }
        defer { for fd in idle { close(fd) } }
        #expect(try page.get("/").status == 200)
        #expect(try page.get("/status.json").status == 200)
    }

    @Test(arguments: [
        "evil.example:PORT", "127.0.0.1.nip.io:PORT", "127.0.0.1:OTHER", "localhost", "127.0.0.1", "[::1]",
        "localhost.:PORT", "127.0.0.1:PORT:PORT", "127.0.0.1:+PORT", "kiosk:PORT", "",
    ])
    func foreignHostIsRefused(host: String) throws {
        let page = try Page()
        let value = host.replacing("OTHER", with: "\(page.port == 65_535 ? 1 : page.port + 1)").replacing(
            "PORT", with: "\(page.port)")
        let answer = try page.exchange(Array("GET / HTTP/1.1\r\nHost: \(value)\r\n\r\n".utf8))
        #expect(answer.status == 421, "Host: \(value) → \(answer.head)")
        #expect(answer.body.contains("answers only to 127.0.0.1:\(page.port)"))
        #expect(!answer.body.contains("空闲"), "no page content for a foreign origin")
    }

    @Test func loopbackNamesAndConfiguredNamesAreAnswered() throws {
        let page = try Page(extraHosts: ["kiosk", "panel-3.school.local"])
        for host in ["127.0.0.1", "localhost", "LocalHost", "[::1]", "kiosk", "KIOSK", "panel-3.school.local"] {
            let answer = try page.exchange(Array("GET / HTTP/1.1\r\nHost: \(host):\(page.port)\r\n\r\n".utf8))
            #expect(answer.status == 200, "Host: \(host) → \(answer.head)")
        }
        #expect(try page.exchange(Array("GET / HTTP/1.1\r\nHost: evil:\(page.port)\r\n\r\n".utf8)).status == 421)
    }

    @Test func oversizeRequestsAreRefused() throws {
        let page = try Page()
        let host = "Host: 127.0.0.1:\(page.port)\r\n"
        let long = "GET / HTTP/1.1\r\n\(host)X-Filler: \(String(repeating: "b", count: 9_000))\r\n\r\n"
        #expect(try page.exchange(Array(long.utf8)).status == 431)
        let many = "GET / HTTP/1.1\r\n\(host)" + (0..<70).map { "X-\($0): 1\r\n" }.joined() + "\r\n"
        let answer = try page.exchange(Array(many.utf8))
        #expect(answer.status == 400 && answer.body.contains("more than 64 header fields"), "\(answer)")
        // An endless head without a blank line is cut at the cap, not read for ever.
        let endless = "GET / HTTP/1.1\r\n\(host)" + String(repeating: "X-A: 1\r\n", count: 3_000)
        #expect(try page.exchange(Array(endless.utf8)).status == 431)
        #expect(try page.get("/").status == 200)
    }
}
