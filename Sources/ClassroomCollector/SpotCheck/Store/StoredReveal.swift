import CZlib
import Dispatch
import Synchronization

/// The form in which a draw's reveal is stored: gzip (RFC 1952), in members written at once on all cores
/// and concatenated, as `gzip -d` and `zcat` read them. At the province a reveal is 64 MB of JSON, and
/// writing it to SQLite and syncing it took 0.4–0.6 s of the draw; gzip at level 1 makes it about 6 MB
/// in 0.1 s on two cores.
///
/// - Important: the reveal's bytes are the audit trail (its digest and the commitment depend on them):
///   ``decompress(_:)`` of ``compress(_:)`` gives them back exactly (``StoredRevealTests``).
enum StoredReveal {
    /// Why stored bytes could not be read back as a reveal.
    struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        var description: String
    }

    /// Bytes of the text per gzip member: a member per 8 MB, at most four.
    static func memberCount(bytes: Int) -> Int { max(1, min(4, bytes / (8 << 20))) }

    /// `text` as gzip, in ``memberCount(bytes:)`` members.
    static func compress(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { compress($0, members: memberCount(bytes: $0.count)) }
    }

    /// `bytes` as `members` gzip members (fewer when there are fewer bytes), concatenated.
    static func compress(_ bytes: UnsafeBufferPointer<UInt8>, members: Int) -> [UInt8] {
        let n = max(1, min(members, bytes.count))
        let bounds = (0...n).map { bytes.count * $0 / n }
        if n == 1 { return member(UnsafeBufferPointer(rebasing: bytes[...])) }
        let written = Mutex<[Int: [UInt8]]>([:])
        // Read only, and only until concurrentPerform returns.
        nonisolated(unsafe) let input = bytes
        DispatchQueue.concurrentPerform(iterations: n) { i in
            let part = member(UnsafeBufferPointer(rebasing: input[bounds[i]..<bounds[i + 1]]))
            written.withLock { $0[i] = part }
        }
        return written.withLock { done in (0..<n).flatMap { done[$0]! } }
    }

    /// One gzip member of `bytes` at level 1 (the fastest: the JSON's repeated keys compress ten times).
    static func member(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var stream = z_stream()
        // 16 + 15: a gzip header and trailer around the largest window.
        guard cf_deflate_init2(&stream, 1, 16 + 15) == Z_OK else { fatalError("zlib: deflateInit2 failed (out of memory)") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let result = out.withUnsafeMutableBufferPointer { o in
            stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress)
            stream.avail_in = uInt(bytes.count)
            stream.next_out = o.baseAddress
            stream.avail_out = uInt(o.count)
            return deflate(&stream, Z_FINISH)
        }
        // deflateBound is enough for one call to finish (zlib's documentation).
        precondition(result == Z_STREAM_END, "zlib: deflate within deflateBound did not finish (\(result))")
        out.removeLast(out.count - Int(stream.total_out))
        return out
    }

    /// The text of concatenated gzip members.
    static func decompress(_ bytes: [UInt8]) throws(Error) -> String {
        guard !bytes.isEmpty else { throw Error(description: "stored reveal: no bytes") }
        var stream = z_stream()
        // 16 + 15: gzip only.
        guard cf_inflate_init2(&stream, 16 + 15) == Z_OK else { throw Error(description: "zlib: inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var failure: String?
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while failure == nil {
                let result = chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = uInt(c.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                out += chunk[..<(chunk.count - Int(stream.avail_out))]
                switch result {
                case Z_STREAM_END:
                    // The next member, if any.
                    if stream.avail_in == 0 { return }
                    if inflateReset(&stream) != Z_OK { failure = "zlib: inflateReset failed" }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    failure = "stored reveal: the gzip data ends early"
                default:
                    failure = "stored reveal: not gzip data (zlib \(result))"
                }
            }
        }
        if let failure { throw Error(description: failure) }
        return String(decoding: out, as: UTF8.self)
    }
}
