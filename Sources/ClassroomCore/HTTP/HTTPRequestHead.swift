/// An HTTP/1.x request head (request line and header fields) as a small loopback server reads it,
/// such as the agent's status page. Pure: bytes in, a parsed head or the reason it is refused out.
///
/// - Important: strict on purpose (RFC 9112): one space between the three parts of the request line,
///   header names are tokens with the colon right after them, no folded lines, no control bytes,
///   at most ``maximumFields`` fields. Anything else is a ``Failure`` with a short English reason.
public struct HTTPRequestHead: Sendable, Hashable {
    /// `GET`, `HEAD`, … (upper-case letters).
    public var method: String
    /// The request target as sent (origin form, starting with `/`).
    public var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    /// Header fields in order, names lower-cased, values without surrounding spaces.
    public var fields: [(name: String, value: String)]

    /// Most header fields accepted; a browser sends about a dozen.
    public static let maximumFields = 64

    /// Why a head was refused.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// The target's path, without the query.
    public var path: Substring { target.prefix { $0 != "?" } }

    /// The value of the single field `name` (lower-case); nil when absent.
    public func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// How many times field `name` (lower-case) appears.
    public func count(of name: String) -> Int { fields.reduce(0) { $0 + ($1.name == name ? 1 : 0) } }

    public static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.target == b.target && a.version == b.version
            && a.fields.elementsEqual(b.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(target)
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    /// Parses `bytes`, which hold the head up to and including its blank line (or less, when the
    /// client stopped early: then the head is incomplete and refused).
    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> HTTPRequestHead {
        var lines: [ArraySlice<UInt8>] = []
        var current: [UInt8] = []
        var complete = false
        for byte in bytes {
            guard byte == 0x0A else {
                current.append(byte)
                continue
            }
            if current.last == 0x0D { current.removeLast() }
            if current.isEmpty {
                // RFC 9112 §2.2: empty lines before the request line are ignored; after it, one ends the head.
                if lines.isEmpty { continue }
                complete = true
                break
            }
            lines.append(current[...])
            current.removeAll(keepingCapacity: true)
            guard lines.count <= maximumFields + 1 else { throw Failure("more than \(maximumFields) header fields") }
        }
        guard complete, let requestLine = lines.first else { throw Failure("the request head is incomplete") }
        var head = try parseRequestLine(requestLine)
        for line in lines.dropFirst() { head.fields.append(try parseField(line)) }
        return head
    }

    static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(Failure) -> HTTPRequestHead {
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let method = String(validating: parts[0], as: UTF8.self),
            let target = String(validating: parts[1], as: UTF8.self),
            let version = String(validating: parts[2], as: UTF8.self)
        else { throw Failure("expected 'GET /path HTTP/1.1'") }
        guard !method.isEmpty, method.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
            throw Failure("expected an upper-case method such as GET")
        }
        guard target.utf8.first == UInt8(ascii: "/"), target.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Failure("expected a path starting with '/'")
        }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { throw Failure("expected HTTP/1.1 or HTTP/1.0") }
        return HTTPRequestHead(method: method, target: target, version: version, fields: [])
    }

    static func parseField(_ line: ArraySlice<UInt8>) throws(Failure) -> (name: String, value: String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw Failure("a header line without ':'") }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw Failure("a header name that is not a token (spaces before ':' or folded lines are not allowed)")
        }
        var value = line[line.index(after: colon)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        guard value.allSatisfy({ $0 == 0x09 || $0 >= 0x20 && $0 != 0x7F }),
            let text = String(validating: value, as: UTF8.self)
        else { throw Failure("a header value with control bytes or invalid UTF-8") }
        return (String(decoding: name.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self), text)
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
