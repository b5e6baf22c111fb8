import ClassroomTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The status page inside the real `classroomd run`: served while the daemon runs, gone after
/// SIGTERM, and a port already taken does not stop the daemon.
@Suite struct StatusPageDaemonTests {
    static func get(_ port: Int, _ path: String) async -> (Int, String)? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 5
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func connect(_ port: Int) throws -> Int32 { try Loopback.connect(port: port) }

    @Test func daemonServesTheIdlePageUntilStopped() async throws {
        let port = try MediaServerProcess.freePort()
        let agent = try AgentUnderTest(collector: nil, extra: "status_port = \(port)\n", label: "status-page")
        defer { agent.remove() }
        let daemon = try agent.start()
        var page: (Int, String)?
        let served = await AgentUnderTest.eventually(20) {
            page = await Self.get(port, "/")
            return page != nil
        }
        #expect(served, "\(agent.log)")
        #expect(page?.0 == 200 && page?.1.contains("空闲") == true && page?.1.contains("lang=\"zh-CN\"") == true)
        let json = await Self.get(port, "/status.json")
        #expect(json?.0 == 200 && json?.1.contains("\"state\":\"idle\"") == true, "\(String(describing: json))")
        #expect(await Self.get(port, "/admin")?.0 == 404)

        // Clients that connect and send nothing hold up neither the page nor the daemon, and a
        // foreign Host (DNS rebinding) is refused.
        let silent = try (0..<5).map { _ in try Self.connect(port) }
        defer { for fd in silent { close(fd) } }
        #expect(await Self.get(port, "/status.json")?.0 == 200)
        let rebound = try Self.connect(port)
        defer { close(rebound) }
        _ = Array("GET / HTTP/1.1\r\nHost: rebind.example:\(port)\r\n\r\n".utf8).withUnsafeBytes {
            send(rebound, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        #expect(StatusPageServerTests.Page.readAnswer(rebound).status == 421)
        #expect(daemon.isRunning)

        // A second daemon on the same port logs the problem and keeps running.
        let second = try AgentUnderTest(collector: nil, extra: "status_port = \(port)\n", label: "status-page-2")
        defer { second.remove() }
        let other = try second.start()
        #expect(
            await AgentUnderTest.eventually(20) { second.log.contains("cannot start the local status page") }, "\(second.log)")
        #expect(other.isRunning)
        #expect(await AgentUnderTest.stop(other))
        #expect(other.terminationStatus == 0)

        #expect(await AgentUnderTest.stop(daemon))
        #expect(daemon.terminationStatus == 0)
        #expect(await Self.get(port, "/") == nil, "the page is gone with the daemon")
    }
}
