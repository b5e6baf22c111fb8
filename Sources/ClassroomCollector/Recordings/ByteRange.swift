import Foundation

/// One `Range: bytes=…` request header (RFC 9110 §14.1.2) resolved against a file's size.
public enum ByteRange: Sendable, Hashable {
    /// No usable range header: send the whole file (200). Several ranges count as none (a server may ignore them).
    case whole
    /// Send these bytes (206 with `Content-Range: bytes first-last/size`).
    case part(ClosedRange<Int64>)
    /// A byte range none of whose bytes exist: 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    /// Resolves `header` (nil when absent) against a file of `size` bytes. A malformed `bytes=`
    /// range is unsatisfiable; another unit is ignored.
    public init(header: String?, size: Int64) {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            self = .whole
            return
        }
        guard header.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(",") else {
            self = .whole
            return
        }
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        func number(_ s: Substring) -> Int64? {
            let t = s.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty, t.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int64(t)
        }
        guard parts.count == 2 else {
            self = .unsatisfiable
            return
        }
        if parts[0].isEmpty {
            // bytes=-N: the last N bytes.
            guard let n = number(parts[1]), n > 0, size > 0 else {
                self = .unsatisfiable
                return
            }
            self = .part(max(0, size - n)...(size - 1))
            return
        }
        guard let first = number(parts[0]), first < size else {
            self = .unsatisfiable
            return
        }
        if parts[1].isEmpty {
            self = .part(first...(size - 1))
            return
        }
        guard let last = number(parts[1]), last >= first else {
            self = .unsatisfiable
            return
        }
        self = .part(first...min(last, size - 1))
    }
}
