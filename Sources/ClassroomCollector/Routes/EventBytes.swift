/// Where each event of an uploaded ``ClassroomWire/EventBatch`` lies in the request body, so that
/// the collector stores the bytes the agent sent instead of encoding every event again (issue 18).
///
/// It runs after `JSONDecoder` has accepted the same bytes (the checks and the error messages stay
/// the decoder's and ``EventBatchChecks``'), so it only finds boundaries; it never decides what is
/// valid. An event whose bytes different JSON readers could read differently gets `nil` and is stored
/// re-encoded from the decoded value, as before:
/// - an object with the same key twice (`JSONDecoder` keeps the first, PostgreSQL's `jsonb` the last,
///   so the coverage queries could see a value the checks never saw);
/// - a `\u0000` escape, which PostgreSQL's `jsonb` (the coverage queries) refuses.
enum EventBytes {
    /// One entry per element of the top-level `events` array, in order: its byte range in `bytes`,
    /// or nil when it must be re-encoded. Nil as a whole when `bytes` is not the JSON object it
    /// expects (no `events` array, `events` twice, malformed): then every event is re-encoded.
    static func ranges(in bytes: UnsafeRawBufferPointer) -> [Range<Int>?]? {
        var scanner = Scanner(bytes: bytes)
        return try? scanner.batch()
    }

    /// Whether one event's bytes (an element of the `events` array, accepted by `JSONDecoder`) may be
    /// stored as they are: false for the ambiguous ones above.
    static func storable(_ element: UnsafeRawBufferPointer) -> Bool {
        var scanner = Scanner(bytes: element)
        guard (try? scanner.value()) != nil else { return false }
        scanner.skipSpace()
        return scanner.i == element.count && !scanner.ambiguous
    }

    struct Malformed: Error {}
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

private struct Scanner {
    let bytes: UnsafeRawBufferPointer
    var i = 0
    /// Set while scanning one event when its bytes must not be stored as they are.
    var ambiguous = false

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func batch() throws -> [Range<Int>?] {
        try expect("{")
        var events: [Range<Int>?]?
        skipSpace()
        if peek == UInt8(ascii: "}") { throw EventBytes.Malformed() }
        while true {
            skipSpace()
            let key = try string()
            try expect(":")
            if Self.equal(bytes, key, "events") {
                guard events == nil else { throw EventBytes.Malformed() }
                events = try array()
            } else {
                try value()
            }
            skipSpace()
            if peek == UInt8(ascii: ",") {
                i += 1
            } else {
                try expect("}")
                break
            }
        }
        skipSpace()
        guard i == bytes.count, let events else { throw EventBytes.Malformed() }
        return events
    }

    /// The `events` array: the range of each element, nil for the ambiguous ones.
    mutating func array() throws -> [Range<Int>?] {
        try expect("[")
        var out: [Range<Int>?] = []
        skipSpace()
        if peek == UInt8(ascii: "]") {
            i += 1
            return out
        }
        while true {
            skipSpace()
            let start = i
            ambiguous = false
            try value()
            out.append(ambiguous ? nil : start..<i)
            skipSpace()
            if peek == UInt8(ascii: ",") {
                i += 1
            } else {
                try expect("]")
                return out
            }
        }
    }

    mutating func value() throws {
        skipSpace()
        guard let c = peek else { throw EventBytes.Malformed() }
        switch c {
        case UInt8(ascii: "{"):
            i += 1
            var keys = KeySet()
            skipSpace()
            if peek == UInt8(ascii: "}") {
                i += 1
                return
            }
            while true {
                skipSpace()
                let key = try string()
                if !keys.insert(key, in: bytes) { ambiguous = true }
                try expect(":")
                try value()
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                } else {
                    try expect("}")
                    return
                }
            }
        case UInt8(ascii: "["):
            i += 1
            skipSpace()
            if peek == UInt8(ascii: "]") {
                i += 1
                return
            }
            while true {
                try value()
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                } else {
                    try expect("]")
                    return
                }
            }
        case quote:
            _ = try string()
        default:
            // A number, true, false or null: up to the next delimiter.
            let start = i
            while let c = peek, !Self.isDelimiter(c) { i += 1 }
            if i == start { throw EventBytes.Malformed() }
        }
    }

    /// A string from its opening quote to past its closing one: its content and whether it has escapes.
    mutating func string() throws -> JSONKey {
        guard peek == quote else { throw EventBytes.Malformed() }
        i += 1
        let start = i
        var escaped = false
        while i < bytes.count {
            switch bytes[i] {
            case quote:
                let key = JSONKey(range: start..<i, escaped: escaped)
                i += 1
                return key
            case backslash:
                escaped = true
                guard i + 1 < bytes.count else { throw EventBytes.Malformed() }
                if bytes[i + 1] == UInt8(ascii: "u") {
                    guard i + 5 < bytes.count else { throw EventBytes.Malformed() }
                    if (2...5).allSatisfy({ bytes[i + $0] == UInt8(ascii: "0") }) { ambiguous = true }
                    i += 6
                } else {
                    i += 2
                }
            default:
                i += 1
            }
        }
        throw EventBytes.Malformed()
    }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    mutating func expect(_ c: Unicode.Scalar) throws {
        skipSpace()
        guard peek == UInt8(ascii: c) else { throw EventBytes.Malformed() }
        i += 1
    }

    static func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: true
        default: false
        }
    }

    static func equal(_ bytes: UnsafeRawBufferPointer, _ key: JSONKey, _ name: String) -> Bool {
        key.text(in: bytes).elementsEqual(name.utf8)
    }
}

/// A string's content in the body, and whether it has escapes (then its text needs decoding).
private struct JSONKey {
    var range: Range<Int>
    var escaped: Bool

    /// The key's UTF-8 text, escapes decoded.
    func text(in bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let raw = bytes[range]
        guard escaped else { return Array(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = raw.startIndex
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.endIndex else { return nil }
            var v: UInt32 = 0
            for k in at..<at + 4 {
                guard let d = Character(Unicode.Scalar(raw[k])).hexDigitValue else { return nil }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while j < raw.endIndex {
            let c = raw[j]
            guard c == backslash, j + 1 < raw.endIndex else {
                out.append(c)
                j += 1
                continue
            }
            let e = raw[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var v = hex(j) else { return out }
                j += 4
                if (0xD800...0xDBFF).contains(v), j + 1 < raw.endIndex, raw[j] == backslash,
                    raw[j + 1] == UInt8(ascii: "u"), let low = hex(j + 2), (0xDC00...0xDFFF).contains(low)
                {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    j += 6
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
            default: out.append(e)  // \" \\ \/
            }
        }
        return out
    }
}

/// The keys of one object seen so far: compared in place while few, hashed beyond that (an object
/// with thousands of keys must not cost a quadratic scan).
private struct KeySet {
    var small: [JSONKey] = []
    var large: Set<[UInt8]>?

    /// False when an equal key was already there.
    mutating func insert(_ key: JSONKey, in bytes: UnsafeRawBufferPointer) -> Bool {
        if large != nil { return large?.insert(key.text(in: bytes)).inserted ?? false }
        for k in small where Self.same(k, key, in: bytes) { return false }
        small.append(key)
        if small.count > 16 { large = Set(small.map { $0.text(in: bytes) }) }
        return true
    }

    static func same(_ a: JSONKey, _ b: JSONKey, in bytes: UnsafeRawBufferPointer) -> Bool {
        if !a.escaped && !b.escaped {
            return a.range.count == b.range.count && bytes[a.range].elementsEqual(bytes[b.range])
        }
        return a.text(in: bytes) == b.text(in: bytes)
    }
}
