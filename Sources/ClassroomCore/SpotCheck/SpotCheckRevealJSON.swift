#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SpotCheckReveal {
    /// The reveal as the collector stores and publishes it: `JSONEncoder` with sorted keys and
    /// unescaped slashes, byte for byte (``SpotCheckRevealJSONTests`` compares the two), but the
    /// snapshot — at the province a quarter of a million teachers and their lessons, 5.7 s through
    /// `JSONEncoder` — is written by ``snapshotJSON(_:)`` directly.
    public func encodedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var rest = self
        rest.snapshot = Snapshot(teachers: [])
        let outer = [UInt8](try encoder.encode(rest))
        // Quotes inside JSON strings are escaped, so this key with its empty value occurs once.
        let empty = Array(#""snapshot":{"teachers":[]}"#.utf8)
        guard let start = ByteSearch.firstIndex(of: empty, in: outer) else {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(outer.count + snapshot.teachers.count * 200)
        bytes += outer[..<start]
        bytes += #""snapshot":"#.utf8
        Self.snapshotJSON(snapshot.teachers, into: &bytes)
        bytes += outer[(start + empty.count)...]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `{"teachers":[…]}` with each teacher's keys and each lesson's in sorted order, as `JSONEncoder`
    /// with `.sortedKeys` and `.withoutEscapingSlashes` writes them.
    static func snapshotJSON(_ teachers: [SpotCheckTeacher], into out: inout [UInt8]) {
        out += #"{"teachers":["#.utf8
        for (i, t) in teachers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"lessons":["#.utf8
            for (k, l) in t.lessons.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out += #"{"end":"#.utf8
                string(l.end.description, into: &out)
                out += #","room_id":"#.utf8
                string(l.roomID, into: &out)
                out += #","start":"#.utf8
                string(l.start.description, into: &out)
                out += #","subject":"#.utf8
                string(l.subject, into: &out)
                out += #","weekday":"#.utf8
                out += String(l.weekday).utf8
                out.append(UInt8(ascii: "}"))
            }
            out += #"],"school_id":"#.utf8
            string(t.schoolID, into: &out)
            out += #","teacher_id":"#.utf8
            string(t.id, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out += "]}".utf8
    }

    /// A JSON string as `JSONEncoder` writes it without escaping slashes: `"` and `\` escaped, the
    /// control characters as `\b \f \n \r \t` or `\u00XX`, everything else as its UTF-8.
    static func string(_ s: String, into out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case 0x08: out += #"\b"#.utf8
            case 0x0C: out += #"\f"#.utf8
            case 0x0A: out += #"\n"#.utf8
            case 0x0D: out += #"\r"#.utf8
            case 0x09: out += #"\t"#.utf8
            case 0..<0x20: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
