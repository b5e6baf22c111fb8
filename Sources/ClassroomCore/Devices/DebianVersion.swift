/// Orders version strings as dpkg does (`dpkg --compare-versions`, deb-version(7)): the epoch
/// (`N:`), then the upstream version, then the revision after the last `-`; inside each, runs of
/// non-digits compare character by character with letters before other characters and `~` before
/// everything (even the end: `0.1.0~rc1` < `0.1.0`), and runs of digits compare as numbers.
/// Agents report their package's version, so "outdated" means what apt means by it.
public enum DebianVersion {
    /// Negative when `a` sorts before `b`, zero when dpkg considers them equal, positive after.
    public static func compare(_ a: String, _ b: String) -> Int {
        let x = Parts(a)
        let y = Parts(b)
        if x.epoch != y.epoch { return x.epoch < y.epoch ? -1 : 1 }
        let upstream = compareFragment(x.upstream, y.upstream)
        if upstream != 0 { return upstream }
        return compareFragment(x.revision, y.revision)
    }

    public static func less(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    struct Parts {
        var epoch = 0
        var upstream: [UInt8]
        var revision: [UInt8] = []

        init(_ version: String) {
            var bytes = Array(version.utf8)
            if let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                let epoch = Int(String(decoding: bytes[..<colon], as: UTF8.self))
            {
                self.epoch = epoch
                bytes.removeSubrange(...colon)
            }
            if let dash = bytes.lastIndex(of: UInt8(ascii: "-")) {
                revision = Array(bytes[(dash + 1)...])
                bytes.removeSubrange(dash...)
            }
            upstream = bytes
        }
    }

    /// dpkg's `verrevcmp`.
    static func compareFragment(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0
        var j = 0
        func at(_ s: [UInt8], _ k: Int) -> UInt8 { k < s.count ? s[k] : 0 }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func order(_ c: UInt8) -> Int {
            if isDigit(c) { return 0 }
            if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) { return Int(c) }
            if c == UInt8(ascii: "~") { return -1 }
            return c == 0 ? 0 : Int(c) + 256
        }
        while i < a.count || j < b.count {
            var firstDifference = 0
            while (i < a.count && !isDigit(a[i])) || (j < b.count && !isDigit(b[j])) {
                let ac = order(at(a, i))
                let bc = order(at(b, j))
                if ac != bc { return ac - bc }
                i += 1
                j += 1
            }
            while at(a, i) == UInt8(ascii: "0") { i += 1 }
            while at(b, j) == UInt8(ascii: "0") { j += 1 }
            while isDigit(at(a, i)) && isDigit(at(b, j)) {
                if firstDifference == 0 { firstDifference = Int(a[i]) - Int(b[j]) }
                i += 1
                j += 1
            }
            if isDigit(at(a, i)) { return 1 }
            if isDigit(at(b, j)) { return -1 }
            if firstDifference != 0 { return firstDifference }
        }
        return 0
    }
}
