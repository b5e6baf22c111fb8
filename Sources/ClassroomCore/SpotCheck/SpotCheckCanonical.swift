import Crypto

/// The canonical byte encoding hashed by the draw: big-endian integers and length-prefixed UTF-8.
///
/// - Important: changing any of this changes every seed and commitment; bump the `v1` labels of
///   ``SpotCheckLabels`` if it ever must change.
struct CanonicalBytes {
    private(set) var bytes: [UInt8] = []
    /// Bytes already handed to the hash by ``spill()``; ``bytes`` is then only the tail.
    private var hasher = SHA256()

    init() {}

    init(label: String) { frame(label) }

    mutating func u8(_ v: Int) { bytes.append(UInt8(truncatingIfNeeded: v)) }

    mutating func u16(_ v: Int) {
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func u32(_ v: Int) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> shift)) }
    }

    /// A string as u32 byte length then its UTF-8 bytes.
    mutating func frame(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            u32(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    /// Hashes what is buffered so far once it is large, so that a province-scale snapshot is
    /// hashed in chunks instead of held whole; ``bytes`` is no longer the whole encoding after it.
    mutating func spill() {
        guard bytes.count >= 1 << 16 else { return }
        hasher.update(data: bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// SHA-256 of everything written.
    var sha256: [UInt8] {
        var h = hasher
        h.update(data: bytes)
        return Array(h.finalize())
    }
}

/// The domain labels that start each hashed structure of the spot-check.
public enum SpotCheckLabels {
    public static let snapshot = "ClassroomFleet spot-check snapshot v1"
    public static let seed = "ClassroomFleet spot-check seed v1"
    public static let result = "ClassroomFleet spot-check result v1"
}

/// Lower-case hexadecimal for digests, seeds, salts and commitments.
public enum SpotCheckHex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nil unless `text` is an even number of hex digits (either case).
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        for i in stride(from: 0, to: utf8.count, by: 2) {
            guard let hi = value(utf8[i]), let lo = value(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }
}

/// Bytewise UTF-8 order, the one ordering of identifiers the draw uses (independent of locale and
/// of Unicode normalisation).
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
