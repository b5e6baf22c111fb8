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
        /// Byte offset of the first undecodable sequence (from the start of the file, BOM included).
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
        // One pass: iconv stops at the first sequence it cannot convert and says where (linear even
        // on a 256 MiB import; converting growing prefixes to find it was quadratic).
        switch conversion(bytes, from: "GB18030", to: "UTF-8") {
        case .converted(let utf8): return String(decoding: utf8, as: UTF8.self)
        case .failed(let offset): throw failure(at: offset, in: bytes)
        }
    }

    /// The result of one iconv conversion.
    enum Conversion: Equatable {
        case converted([UInt8])
        /// Offset of the first input byte that could not be converted (an invalid sequence, or one cut
        /// short by the end of the input).
        case failed(at: Int)
    }

    static func convert(_ input: [UInt8], from: String, to: String) -> [UInt8]? {
        guard case .converted(let output) = conversion(input, from: from, to: to) else { return nil }
        return output
    }

    static func conversion(_ input: [UInt8], from: String, to: String) -> Conversion {
        let cd = iconv_open(to, from)
        guard cd != iconv_t(bitPattern: -1) else { return .failed(at: 0) }
        defer { iconv_close(cd) }
        if input.isEmpty { return .converted([]) }
        // Any GB18030 or UTF-8 sequence becomes at most 4 bytes of the other per input byte.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var source = input
        let result = source.withUnsafeMutableBufferPointer { src -> Conversion? in
            output.withUnsafeMutableBufferPointer { dst -> Conversion? in
                let srcBase = UnsafeMutableRawPointer(src.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inPtr: UnsafeMutablePointer<CChar>? = srcBase
                var inLeft = src.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress)?.assumingMemoryBound(
                    to: CChar.self)
                var outLeft = dst.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                guard r != -1, inLeft == 0 else { return .failed(at: src.count - inLeft) }
                // Flush any shift state.
                guard iconv(cd, nil, nil, &outPtr, &outLeft) != -1 else { return .failed(at: src.count) }
                return .converted([UInt8](dst[..<(dst.count - outLeft)]))
            }
        }
        return result ?? .failed(at: 0)
    }

    /// Offset of the first byte that is not part of a valid UTF-8 sequence (a sequence cut short by
    /// the end of the input counts as invalid at its first byte).
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }

    private static func failure(at offset: Int, in bytes: [UInt8]) -> Failure {
        var line = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
        return Failure(offset: offset, line: line)
    }
}
