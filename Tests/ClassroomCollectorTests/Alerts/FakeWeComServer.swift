import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A stand-in for WeCom's group robot on 127.0.0.1 (a free port): answers each POST with the next
/// scripted answer (then `{"errcode":0}`), and keeps every body it received.
final class FakeWeComServer: Sendable {
    enum Answer: Sendable {
        case ok
        case http(Int)
        case errcode(Int)
        /// Holds the request until ``release()``.
        case hang
    }

    private let script = Mutex<[Answer]>([])
    private let bodies = Mutex<[Data]>([])
    private let released = Mutex(false)

    init(script: [Answer] = []) {
        self.script.withLock { $0 = script }
    }

    /// The JSON bodies received, in order.
    var received: [[String: Any]] {
        bodies.withLock { $0 }.map { (try? JSONSerialization.jsonObject(with: $0) as? [String: Any]) ?? [:] }
    }
    var count: Int { bodies.withLock { $0.count } }

    /// The markdown contents received, in order.
    var contents: [String] {
        received.map { (($0["markdown"] as? [String: Any])?["content"] as? String) ?? "" }
    }

    func release() { released.withLock { $0 = true } }

    /// Runs the server for `body`, which gets the webhook URL (with a key that must never be logged).
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/cgi-bin/webhook/send") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 20)
            self.bodies.withLock { $0.append(Data(buffer: buffer)) }
            let answer = self.script.withLock { $0.isEmpty ? Answer.ok : $0.removeFirst() }
            func json(_ text: String, _ status: HTTPResponse.Status = .ok) -> Response {
                Response(
                    status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text))
                )
            }
            switch answer {
            case .ok: return json(#"{"errcode":0,"errmsg":"ok"}"#)
            case .http(let code): return json("{}", HTTPResponse.Status(code: code))
            case .errcode(let code): return json(#"{"errcode":\#(code),"errmsg":"api freq out of limit"}"#)
            case .hang:
                while !self.released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
                return json(#"{"errcode":0,"errmsg":"ok"}"#)
            }
        }
        let port = Mutex<Int?>(nil)
        var logger = Logger(label: "fake-wecom")
        // Cancelling the server at the end logs "Already closed" at error level: not the test's concern.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var bound: Int?
            for _ in 0..<500 {
                bound = port.withLock { $0 }
                if bound != nil { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            guard let bound else { throw TestFailure("the fake WeCom server did not start") }
            defer {
                release()
                group.cancelAll()
            }
            return try await body("http://127.0.0.1:\(bound)/cgi-bin/webhook/send?key=SECRET-KEY-0123")
        }
    }
}
