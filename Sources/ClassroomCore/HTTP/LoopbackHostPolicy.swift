/// Which `Host` header values a server on the loopback interface answers: its defence against DNS
/// rebinding, where a web page in the classroom's browser points its own domain name at 127.0.0.1 and
/// then reads the local page as if it were its own origin.
///
/// - Important: only `127.0.0.1`, `localhost` and `[::1]` (and the names the operator lists) with the
///   server's own port are allowed; the port may be left out only when it is 80. Names compare
///   case-insensitively; anything else, including a trailing dot, is refused.
public struct LoopbackHostPolicy: Sendable, Hashable {
    /// The loopback names every loopback server answers to.
    public static let loopbackNames = ["127.0.0.1", "localhost", "[::1]"]

    /// The port the server listens on.
    public var port: Int
    /// Lower-cased host names allowed besides ``loopbackNames`` (such as a kiosk's own host name).
    public var names: Set<String>

    public init(port: Int, extraNames: [String] = []) {
        self.port = port
        names = Set((Self.loopbackNames + extraNames).map { $0.lowercased() })
    }

    /// Whether a request whose `Host` header is `host` may be answered.
    public func allows(_ host: String) -> Bool {
        let bytes = Array(host.utf8)
        let nameEnd: Int
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            nameEnd = close + 1
        } else {
            nameEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
        }
        let name = String(decoding: bytes[..<nameEnd], as: UTF8.self).lowercased()
        guard names.contains(name) else { return false }
        let rest = bytes[nameEnd...]
        if rest.isEmpty { return port == 80 }
        let digits = rest.dropFirst()
        guard rest.first == UInt8(ascii: ":"), (1...5).contains(digits.count),
            digits.allSatisfy({ (0x30...0x39).contains($0) }), digits.first != 0x30
        else { return false }
        return Int(String(decoding: digits, as: UTF8.self)) == port
    }

    /// Whether `name` may be listed as an extra host name: letters, digits, `-` and `.`, not an address
    /// form that would widen the check (no ports, brackets or wildcards).
    public static func isValidExtraName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253 && name.utf8.first != UInt8(ascii: ".")
            && name.utf8.last != UInt8(ascii: ".")
            && name.utf8.allSatisfy { byte in
                switch byte {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."): true
                default: false
                }
            }
    }
}
