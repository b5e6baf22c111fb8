import ClassroomAgent
import ClassroomTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// The local status page through real loopback sockets: the zh-CN page, the JSON, and bad requests.
@Suite struct StatusPageServerTests {
    static let streaming = SpotCheckLiveStatus(
        state: "streaming", orderID: "2026-W48-03", teacherName: "李<老师>", subject: "数学", lessonEnd: 1_000_000 + 125_000,
        frames: 1500, bytes: 2_048_000, speechRatio: 0.42, restarts: 1, ffmpegPID: 77)

    /// A server on a free port showing whatever `status` holds; the clock stands at 1 000 000 ms.
    final class Page: Sendable {
        final class Shown: Sendable {
            let value = Mutex<SpotCheckLiveStatus?>(nil)
            func withLock<T>(_ body: (inout SpotCheckLiveStatus?) -> T) -> T { value.withLock { body(&$0) } }
        }

        let status = Shown()
        let server: StatusPageServer
        let port: Int

        init(extraHosts: [String] = [], deadlineMillis: Int64 = 2_000) throws {
            let status = self.status
            server = StatusPageServer(
                port: 0, logger: Logger(label: "test"), status: { status.withLock { $0 } }, clock: .fixed(1_000_000),
                extraHosts: extraHosts, deadlineMillis: deadlineMillis)
            port = try server.start()
        }

        /// A connected client socket.
        func connectClient() throws -> Int32 { try Loopback.connect(port: port) }

        /// Reads until the server closes, then splits the answer.
        static func readAnswer(_ fd: Int32) -> (status: Int, head: String, body: String) {
            var answer: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                answer += buffer[0..<count]
            }
            let text = String(decoding: answer, as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            let status = Int(parts[0].split(separator: " ").dropFirst().first ?? "") ?? 0
            return (status, parts[0], parts.dropFirst().joined(separator: "\r\n\r\n"))
        }

        deinit { server.stop() }

        /// Sends `request` as it is and reads the whole answer (the server closes the connection).
        func exchange(_ request: [UInt8]) throws -> (status: Int, head: String, body: String) {
            let fd = try connectClient()
            defer { close(fd) }
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            return Self.readAnswer(fd)
        }

        func get(_ path: String, method: String = "GET") throws -> (status: Int, head: String, body: String) {
            try exchange(Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8))
        }
    }

    @Test func idlePageIsChinese() throws {
        let page = try Page()
        let answer = try page.get("/")
        #expect(answer.status == 200)
        #expect(answer.head.contains("Content-Type: text/html; charset=utf-8"))
        #expect(answer.body.contains("<html lang=\"zh-CN\">"))
        #expect(answer.body.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
        #expect(answer.body.contains("空闲") && !answer.body.contains("正在直播"))
        let json = try page.get("/status.json")
        #expect(json.status == 200 && json.head.contains("application/json"))
        let object = try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any]
        #expect(object?["state"] as? String == "idle")
        #expect(object?["spotcheck"] == nil)
    }

    @Test func streamingPageShowsTeacherTimeLeftAndFigures() throws {
        let page = try Page()
        page.status.withLock { $0 = Self.streaming }
        let answer = try page.get("/?refresh=1")
        #expect(answer.status == 200)
        #expect(answer.body.contains("正在直播"))
        #expect(answer.body.contains("李&lt;老师&gt;") && !answer.body.contains("李<老师>"), "the name is HTML-escaped")
        #expect(answer.body.contains("数学"))
        #expect(answer.body.contains("2 分 5 秒"), "125 s left")
        #expect(answer.body.contains("1500 帧，2000 KB"))
        #expect(answer.body.contains("42%"))
        let json = try page.get("/status.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "streaming")
        #expect(object["seconds_left"] as? Int == 125)
        let spotcheck = try #require(object["spotcheck"] as? [String: Any])
        #expect(spotcheck["order_id"] as? String == "2026-W48-03")
        #expect(spotcheck["bytes"] as? Int == 2_048_000)
    }

    @Test func aPatrolSaysSoOnThePage() throws {
        let page = try Page()
        var patrol = Self.streaming
        patrol.purpose = "patrol"
        page.status.withLock { $0 = patrol }
        let answer = try page.get("/")
        #expect(answer.body.contains("正在巡课") && answer.body.contains("巡课（学校或教研员远程听课）"), "\(answer.body)")
        #expect(!answer.body.contains("正在直播"))
        let json = try page.get("/status.json")
        #expect(json.body.contains("\"purpose\":\"patrol\""), "\(json.body)")
        page.status.withLock { $0 = Self.streaming }
        #expect(try page.get("/").body.contains("直播抽查"))
    }

    @Test func finishedPageShowsTheOutcome() throws {
        let page = try Page()
        var finished = Self.streaming
        finished.state = "finished"
        finished.outcome = "completed"
        page.status.withLock { $0 = finished }
        let answer = try page.get("/")
        #expect(answer.body.contains("已结束") && answer.body.contains("completed"))
        #expect(!answer.body.contains("剩余时间"))
    }

    @Test func headAnswersWithoutBody() throws {
        let page = try Page()
        let answer = try page.get("/", method: "HEAD")
        #expect(answer.status == 200)
        #expect(answer.body.isEmpty)
        #expect(answer.head.contains("Content-Length: "))
    }

    @Test(arguments: [
        ("GET /nothing HTTP/1.1\r\nHost: localhost:PORT\r\n\r\n", 404),
        ("GET /status.json/x HTTP/1.1\r\nHost: [::1]:PORT\r\n\r\n", 404),
        ("POST / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 0\r\n\r\n", 405),
        ("DELETE /status.json HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n", 405),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 5\r\n\r\nhello", 413),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nTransfer-Encoding: chunked\r\n\r\n", 413),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nHost: 127.0.0.1:PORT\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : 127.0.0.1:PORT\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n folded\r\n\r\n", 400),
        ("hello\r\n\r\n", 400),
        ("GET / HTTP/9.9\r\n\r\n", 400),
        ("GET nopath HTTP/1.1\r\n\r\n", 400),
        ("get / HTTP/1.1\r\n\r\n", 400),
        ("\r\n\r\n", 400),
    ])
    func badRequestsAreAnswered(request: String, status: Int) throws {
        let page = try Page()
        let answer = try page.exchange(Array(request.replacing("PORT", with: "\(page.port)").utf8))
        #expect(answer.status == status, "\(request.debugDescription) → \(answer.head)")
        if status == 405 { #expect(answer.head.contains("Allow: GET, HEAD")) }
        // The server is still there after it.
        #expect(try page.get("/").status == 200)
    }

    @Test func binaryAndOversizedRequestsAreRefused() throws {
        let page = try Page()
        #expect(try page.exchange([0xff, 0xfe, 0x00, 0x01, 13, 10, 13, 10]).status == 400)
        let huge =
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(page.port)\r\nX-Filler: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
        #expect(try page.exchange(Array(huge.utf8)).status == 431)
        // A client that connects and sends nothing is answered 408 once its 2 s are up, and the page still works.
        #expect(try page.exchange([]).status == 408)
        #expect(try page.get("/status.json").status == 200)
    }

    @Test func listensOnLoopbackOnlyAndRefusesATakenPort() throws {
        let page = try Page()
        let second = StatusPageServer(port: page.port, logger: Logger(label: "test"), status: { nil })
        #expect(throws: StatusPageServer.StartError.self) { try second.start() }
        // Read to the end: /proc/net/tcp comes one page at a time, and String(contentsOfFile:) stops
        // after the first 4 KiB — with the other suites' sockets open, the page's line was past it.
        let tcp = try #require(FileHandle(forReadingAtPath: "/proc/net/tcp"))
        let listening = String(decoding: tcp.readDataToEndOfFile(), as: UTF8.self)
        try tcp.close()
        let hexPort = String(format: "%04X", page.port)
        #expect(listening.contains("0100007F:\(hexPort)"), "bound to 127.0.0.1")
        #expect(!listening.contains("00000000:\(hexPort)"), "not bound to every address")
    }
}
