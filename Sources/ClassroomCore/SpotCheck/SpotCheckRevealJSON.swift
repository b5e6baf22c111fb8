import Dispatch
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension SpotCheckReveal {
    /// The reveal as the collector stores and publishes it: `JSONEncoder` with sorted keys and
    /// unescaped slashes, byte for byte (``SpotCheckRevealJSONTests`` compares the two), but the
    /// snapshot — at the province a quarter of a million teachers and their lessons, 64 MB, 5.7 s through
    /// `JSONEncoder` — is written by ``snapshotParts(_:parts:)`` directly, in parts on all cores.
    public func encodedJSON() throws -> String {
        try encodedJSON(parts: Self.partCount(teachers: snapshot.teachers.count))
    }

    /// How many parts the snapshot's teachers are written in: one per 20,000 teachers, at most four (a
    /// part is then at least about 5 MB, and four parts keep both cores busy when one of them is shared).
    static func partCount(teachers: Int) -> Int { max(1, min(4, teachers / 20_000)) }

    /// ``encodedJSON()`` with the snapshot's teachers written in `parts` parts at once.
    func encodedJSON(parts: Int) throws -> String {
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
        let head = Array(#""snapshot":{"teachers":["#.utf8)
        let tail = Array("]}".utf8)
        let written = Self.snapshotParts(snapshot.teachers, parts: parts).filter { !$0.isEmpty }
        var pieces: [ArraySlice<UInt8>] = [outer[..<start], head[...]]
        for (i, part) in written.enumerated() {
            if i > 0 { pieces.append([UInt8(ascii: ",")][...]) }
            pieces.append(part[...])
        }
        pieces += [tail[...], outer[(start + empty.count)...]]
        // One copy of the 64 MB into the string (which checks that it is UTF-8, as `String(decoding:)` did).
        let total = pieces.reduce(0) { $0 + $1.count }
        return String(unsafeUninitializedCapacity: total) { buffer in
            var at = 0
            for piece in pieces {
                piece.withUnsafeBufferPointer { bytes in
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[at..<(at + bytes.count)]).initialize(from: bytes)
                }
                at += piece.count
            }
            return at
        }
    }

    /// The teachers as the elements of the snapshot's `teachers` array (`{…},{…}`, no brackets), in
    /// `parts` consecutive runs written at once, each run's bytes apart; joined with commas they are what
    /// one pass writes. Each teacher's keys and each lesson's are in sorted order, as `JSONEncoder` with
    /// `.sortedKeys` and `.withoutEscapingSlashes` writes them.
    static func snapshotParts(_ teachers: [SpotCheckTeacher], parts: Int) -> [[UInt8]] {
        let n = max(1, min(parts, teachers.count))
        let bounds = (0...n).map { teachers.count * $0 / n }
        if n == 1 { return [elements(teachers[...])] }
        let results = Mutex<[Int: [UInt8]]>([:])
        DispatchQueue.concurrentPerform(iterations: n) { i in
            let bytes = elements(teachers[bounds[i]..<bounds[i + 1]])
            results.withLock { $0[i] = bytes }
        }
        return results.withLock { done in (0..<n).map { done[$0] ?? [] } }
    }

    /// `teachers` as JSON objects separated by commas.
    static func elements(_ teachers: ArraySlice<SpotCheckTeacher>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(
            teachers.reduce(0) { sum, t in
                t.lessons.reduce(sum + 48 + t.id.utf8.count + t.schoolID.utf8.count) {
                    $0 + 74 + $1.roomID.utf8.count + $1.subject.utf8.count
                }
            })
        for (i, t) in teachers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"lessons":["#.utf8
            for (k, l) in t.lessons.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out += #"{"end":"#.utf8
                time(l.end, into: &out)
                out += #","room_id":"#.utf8
                string(l.roomID, into: &out)
                out += #","start":"#.utf8
                time(l.start, into: &out)
                out += #","subject":"#.utf8
                string(l.subject, into: &out)
                out += #","weekday":"#.utf8
                if (0...9).contains(l.weekday) {
                    out.append(UInt8(ascii: "0") + UInt8(l.weekday))
                } else {
                    out += String(l.weekday).utf8
                }
                out.append(UInt8(ascii: "}"))
            }
            out += #"],"school_id":"#.utf8
            string(t.schoolID, into: &out)
            out += #","teacher_id":"#.utf8
            string(t.id, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        return out
    }

    /// `"HH:MM"`, the time's `description` as a JSON string, without making a `String`.
    static func time(_ t: TimeOfDay, into out: inout [UInt8]) {
        let h = UInt8(t.hour)
        let m = UInt8(t.minute)
        let zero = UInt8(ascii: "0")
        out.append(UInt8(ascii: "\""))
        out.append(zero + h / 10)
        out.append(zero + h % 10)
        out.append(UInt8(ascii: ":"))
        out.append(zero + m / 10)
        out.append(zero + m % 10)
        out.append(UInt8(ascii: "\""))
    }

    /// A JSON string as `JSONEncoder` writes it without escaping slashes: `"` and `\` escaped, the
    /// control characters as `\b \f \n \r \t` or `\u00XX`, everything else as its UTF-8. A string with
    /// nothing to escape (every identifier of a real registry) is copied whole.
    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            out.append(contentsOf: bytes)
            return true
        }
        if copied != true {
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\""): out += #"\""#.utf8
                case UInt8(ascii: "\\"): out += #"\\"#.utf8
                case 0x08: out += #"\b"#.utf8
                case 0x0C: out += #"\f"#.utf8
                case 0x0A: out += #"\n"#.utf8
                case 0x0D: out += #"\r"#.utf8
                case 0x09: out += #"\t"#.utf8
                case 0..<0x20:
                    let low = b & 15
                    out += #"\u00"#.utf8
                    out.append(UInt8(ascii: "0") + b >> 4)
                    out.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
