import Testing

@testable import ClassroomCore

/// The loopback servers' request-head parser and `Host` policy: strict, total, never a trap.
@Suite struct HTTPRequestHeadTests {
    @Test func parsesRequestLineAndFields() throws {
        let head = try HTTPRequestHead.parse(
            Array("\r\nGET /status.json?x=1 HTTP/1.1\r\nHost:  localhost:8471 \r\nX-A:\r\n\r\n".utf8))
        #expect(head.method == "GET" && head.target == "/status.json?x=1" && head.version == "HTTP/1.1")
        #expect(head.path == "/status.json")
        #expect(head.field("host") == "localhost:8471")
        #expect(head.field("x-a") == "")
        #expect(head.count(of: "host") == 1)
        #expect(try HTTPRequestHead.parse(Array("GET / HTTP/1.0\n\n".utf8)).fields.isEmpty)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\n", "the request head is incomplete"),
        ("", "the request head is incomplete"),
        ("GET  / HTTP/1.1\r\n\r\n", "expected a path starting with '/'"),
        ("GET / HTTP/2\r\n\r\n", "expected HTTP/1.1 or HTTP/1.0"),
        ("get / HTTP/1.1\r\n\r\n", "expected an upper-case method such as GET"),
        ("GET /\u{1}x HTTP/1.1\r\n\r\n", "expected a path starting with '/'"),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", "a header line without ':'"),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", "a header name that is not a token"),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded: x\r\n\r\n", "a header name that is not a token"),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", "a header line without ':'"),
        ("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", "a header value with control bytes"),
    ])
    func refusesMalformedHeads(text: String, reason: String) {
        #expect {
            try HTTPRequestHead.parse(Array(text.utf8))
        } throws: { error in
            (error as? HTTPRequestHead.Failure)?.message.hasPrefix(reason) == true
        }
    }

    @Test func refusesInvalidUTF8AndTooManyFields() {
        #expect(throws: HTTPRequestHead.Failure.self) {
            try HTTPRequestHead.parse([0x47, 0x45, 0x54, 0x20, 0x2F, 0x20] + [0xFF] + Array("\r\n\r\n".utf8))
        }
        #expect(throws: HTTPRequestHead.Failure.self) {
            try HTTPRequestHead.parse(Array("GET / HTTP/1.1\r\nX: \u{FF}\r\n\r\n".utf8).map { $0 == 0xC3 ? 0xFF : $0 })
        }
        let many = "GET / HTTP/1.1\r\n" + String(repeating: "A: b\r\n", count: 65) + "\r\n"
        #expect(throws: HTTPRequestHead.Failure("more than 64 header fields")) { try HTTPRequestHead.parse(Array(many.utf8)) }
    }

    @Test func hostPolicyAllowsLoopbackNamesWithTheServersPortOnly() {
        let policy = LoopbackHostPolicy(port: 8471, extraNames: ["Kiosk"])
        for host in ["127.0.0.1:8471", "localhost:8471", "LOCALHOST:8471", "[::1]:8471", "kiosk:8471"] {
            #expect(policy.allows(host), "\(host)")
        }
        for host in [
            "127.0.0.1", "localhost:80", "evil.example:8471", "127.0.0.1:08471x", "[::1]", "[::1]8471", "[::2]:8471",
            "localhost.:8471", "127.0.0.1:8471:8471", "", ":8471", "[", "kiosk:99999999999999999999",
        ] {
            #expect(!policy.allows(host), "\(host)")
        }
        #expect(LoopbackHostPolicy(port: 80).allows("localhost"))
        #expect(LoopbackHostPolicy(port: 80).allows("localhost:80"))
    }

    /// Found by FuzzStatusRequest (Tests/Fuzz/corpus/FuzzStatusRequest/crash-leading-zero-port): a port
    /// with leading zeros named the same port and passed; only the canonical form does now.
    @Test func portWithLeadingZerosIsRefused() {
        let policy = LoopbackHostPolicy(port: 8471)
        #expect(!policy.allows("[::1]:08471"))
        #expect(!policy.allows("localhost:008471"))
        #expect(!LoopbackHostPolicy(port: 80).allows("localhost:080"))
        #expect(policy.allows("[::1]:8471"))
    }

    @Test func extraNamesAreHostNamesOnly() {
        #expect(LoopbackHostPolicy.isValidExtraName("panel-3.school.local"))
        for name in ["", "*", "a:80", "[::1]", ".local", "local.", "a b", "例子"] {
            #expect(!LoopbackHostPolicy.isValidExtraName(name), "\(name)")
        }
    }
}
