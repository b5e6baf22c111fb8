#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The encodings registry files arrive in.
public enum TextEncoding: String, Codable, Sendable, Hashable {
    case utf8 = "UTF-8"
    case utf8WithBOM = "UTF-8 (BOM)"
    /// GB18030, a superset of GBK and GB2312: what Excel writes for "CSV" in a Chinese locale.
    case gb18030 = "GB18030"
}

/// Decodes the text files bureaus hand us: UTF-8 with or without a byte-order mark, else GB18030.
///
/// A file that is valid UTF-8 is taken as UTF-8 (GBK text is almost never valid UTF-8, and ASCII is
/// both); otherwise GB18030 through the C library's iconv, which is pure conversion, no I/O.
public enum TextDecoder {
    /// A file that is neither valid UTF-8 nor valid GB18030.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Byte offset of the first undecodable sequence.
        public var offset: Int
        /// 1-based line of that byte (counting LF bytes before it).
        public var line: Int
        public var description: String { "line \(line): not valid UTF-8 or GB18030 text (byte offset \(offset))" }
    }

    public static func decode(_ bytes: [UInt8]) throws(Failure) -> (text: String, encoding: TextEncoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = bytes.dropFirst(3)
            guard let text = String(validating: body, as: UTF8.self) else {
                throw failure(at: firstInvalidUTF8(body) + 3, in: bytes)
            }
            return (text, .utf8WithBOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        return (try gb18030(bytes), .gb18030)
    }

    /// Encodes UTF-8 text as GB18030 (for tests and for exports that a bureau asks for in GBK).
    public static func encodeGB18030(_ text: String) -> [UInt8]? {
        convert(Array(text.utf8), from: "UTF-8", to: "GB18030")
    }

    static func gb18030(_ bytes: [UInt8]) throws(Failure) -> String {
        guard let utf8 = convert(bytes, from: "GB18030", to: "UTF-8") else {
            // Find the first undecodable byte by converting growing prefixes line by line.
            var offset = 0
            var lineStart = 0
            for (i, b) in bytes.enumerated() where b == 0x0A {
                if convert(Array(bytes[..<(i + 1)]), from: "GB18030", to: "UTF-8") == nil {
                    offset = lineStart
                    break
                }
                lineStart = i + 1
                offset = lineStart
            }
            throw failure(at: offset, in: bytes)
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    static func convert(_ input: [UInt8], from: String, to: String) -> [UInt8]? {
        let cd = iconv_open(to, from)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var source = input
        let ok = source.withUnsafeMutableBufferPointer { src -> Int? in
            output.withUnsafeMutableBufferPointer { dst -> Int? in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(src.baseAddress)?.assumingMemoryBound(
                    to: CChar.self)
                var inLeft = src.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress)?.assumingMemoryBound(
                    to: CChar.self)
                var outLeft = dst.count
                if src.count == 0 { return 0 }
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                guard r != -1, inLeft == 0 else { return nil }
                // Flush any shift state.
                guard iconv(cd, nil, nil, &outPtr, &outLeft) != -1 else { return nil }
                return dst.count - outLeft
            }
        }
        guard let n = ok else { return nil }
        return Array(output[..<n])
    }

    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var lo = 0
        var hi = bytes.count
        let base = bytes.startIndex
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if String(validating: bytes[base..<(base + mid)], as: UTF8.self) != nil
                || isTruncatedScalar(bytes[base..<(base + mid)])
            {
                lo = mid
            } else {
                hi = mid - 1
            }
            if lo == hi { break }
        }
        return lo
    }

    private static func isTruncatedScalar(_ bytes: ArraySlice<UInt8>) -> Bool {
        // A prefix that ends inside a multi-byte scalar is not itself evidence of an error.
        for cut in 1...3 where bytes.count > cut {
            if String(validating: bytes.dropLast(cut), as: UTF8.self) != nil { return true }
        }
        return false
    }

    private static func failure(at offset: Int, in bytes: [UInt8]) -> Failure {
        Failure(offset: offset, line: 1 + bytes[..<min(offset, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
    }
}
