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
        let decoded = try utf8(bytes)
        let text = decoded.bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[decoded.start...]), as: UTF8.self)
        }
        return (text, decoded.encoding)
    }

    /// The file as UTF-8 bytes, from `start` (past a byte-order mark): `bytes` itself when it already is
    /// UTF-8 (validated, not copied: a province's timetable is hundreds of megabytes), else converted
    /// from GB18030.
    public static func utf8(_ bytes: [UInt8]) throws(Failure) -> (bytes: [UInt8], start: Int, encoding: TextEncoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard isValidUTF8(bytes, from: 3) else { throw failure(at: firstInvalidUTF8(bytes.dropFirst(3)) + 3, in: bytes) }
            return (bytes, 3, .utf8WithBOM)
        }
        if isValidUTF8(bytes, from: 0) { return (bytes, 0, .utf8) }
        switch conversion(bytes, from: "GB18030", to: "UTF-8") {
        case .converted(let utf8): return (utf8, 0, .gb18030)
        case .failed(let offset): throw failure(at: offset, in: bytes)
        }
    }

    /// Whether `bytes[start...]` is valid UTF-8, checked in 1 MiB pieces cut at the start of a sequence,
    /// so that the check needs no copy of the whole file.
    static func isValidUTF8(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var from = start
            while from < buffer.count {
                var to = min(from + (1 << 20), buffer.count)
                if to < buffer.count {
                    // Back to the start of a sequence: at most 3 continuation bytes (10xxxxxx) precede one
                    // in valid text, and where there are more the text is invalid in any piece.
                    var cut = to
                    while cut > to - 3, buffer[cut] & 0xC0 == 0x80 { cut -= 1 }
                    to = cut
                }
                guard String(validating: UnsafeBufferPointer(rebasing: buffer[from..<to]), as: UTF8.self) != nil else {
                    return false
                }
                from = to
            }
            return true
        }
    }

    /// Encodes UTF-8 text as GB18030 (for tests and for exports that a bureau asks for in GBK).
    public static func encodeGB18030(_ text: String) -> [UInt8]? {
        convert(Array(text.utf8), from: "UTF-8", to: "GB18030")
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
        // Converted through a 1 MiB window into an array that grows as needed: no 4× worst-case buffer
        // for a 300 MB file, and no copy to trim it.
        var output: [UInt8] = []
        var window = [UInt8](repeating: 0, count: 1 << 20)
        // iconv's input pointer is not const, but iconv only reads through it: no copy of the input.
        let failedAt: Int? = input.withUnsafeBufferPointer { src in
            window.withUnsafeMutableBufferPointer { dst in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: src.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = src.count
                func drain(_ convert: (inout UnsafeMutablePointer<CChar>?, inout Int) -> Int) -> Int32? {
                    while true {
                        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(dst.baseAddress!)
                            .assumingMemoryBound(to: CChar.self)
                        var outLeft = dst.count
                        let r = convert(&outPtr, &outLeft)
                        let error = r == -1 ? errno : 0
                        let produced = dst.count - outLeft
                        if output.isEmpty, produced > 0 {
                            // Reserve once, by the first window's ratio of output to input (Chinese text
                            // grows 1.5× from GBK to UTF-8, ASCII not at all), with 5 % to spare.
                            let consumed = max(src.count - inLeft, 1)
                            let ratio = Double(produced) / Double(consumed)
                            output.reserveCapacity(Int(Double(src.count) * ratio * 1.05) + 65_536)
                        }
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: dst[..<produced]))
                        if error == E2BIG { continue }
                        return r == -1 ? error : nil
                    }
                }
                // An invalid or cut-short sequence stops the conversion where it lies.
                if drain({ iconv(cd, &inPtr, &inLeft, &$0, &$1) }) != nil || inLeft != 0 { return src.count - inLeft }
                // Flushes any shift state.
                if drain({ iconv(cd, nil, nil, &$0, &$1) }) != nil { return src.count }
                return nil
            }
        }
        if let failedAt { return .failed(at: failedAt) }
        return .converted(output)
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
