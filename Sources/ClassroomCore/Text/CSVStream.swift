#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a CSV file from a ``ByteSource`` window by window: decodes each window to UTF-8 (as
/// ``TextDecoder``: UTF-8 with or without a byte-order mark, else GB18030) and scans its records
/// (``CSVReader/scan(_:final:firstLine:_:)``), carrying a record that a window cuts — with any UTF-8
/// or GB18030 sequence cut with it — to the next. What it holds is one window, not the file.
enum CSVStream {
    /// What ``scan(_:window:_:)`` reports while it reads.
    enum Event {
        /// The next record; valid only during the call (it points into the window).
        case record(CSVRecordView)
        /// A window has been scanned: about `rawBytes` of the source lie behind the records so far.
        case progress(rawBytes: Int)
        /// The file turned out not to be UTF-8: every record reported so far is void, and the file is
        /// read again from its first byte as GB18030.
        case restart
    }

    enum Outcome: Equatable {
        /// Every record was reported.
        case finished(TextEncoding)
        /// Neither UTF-8 (or UTF-8 after a byte-order mark) nor GB18030: `offset` is the first byte
        /// that did not decode, from the start of the file (as ``TextDecoder/Failure/offset``).
        case undecodable(offset: Int)
        /// A malformed record; the records before it were reported.
        case malformed(CSVReader.Failure, TextEncoding)
        /// The source failed to read.
        case unreadable(String)
    }

    /// 4 MiB: large enough that a read and a scan cost little per call, small next to a province.
    static let defaultWindow = 1 << 22

    static func scan(_ source: inout some ByteSource, window: Int = defaultWindow, _ body: (Event) -> Void) -> Outcome {
        precondition(window >= 16, "a window needs room for a sequence and then some")
        do {
            switch try pass(&source, gb18030: false, window: window, body) {
            case .finished(let encoding): return .finished(encoding)
            case .malformed(let failure, let encoding): return .malformed(failure, encoding)
            case .undecodable(let offset, bom: true): return .undecodable(offset: offset)
            case .undecodable:
                body(.restart)
                try source.rewind()
                switch try pass(&source, gb18030: true, window: window, body) {
                case .finished(let encoding): return .finished(encoding)
                case .malformed(let failure, let encoding): return .malformed(failure, encoding)
                case .undecodable(let offset, _): return .undecodable(offset: offset)
                }
            }
        } catch {
            return .unreadable(String(describing: error))
        }
    }

    private enum Pass {
        case finished(TextEncoding)
        case malformed(CSVReader.Failure, TextEncoding)
        case undecodable(Int, bom: Bool)
    }

    /// One read of the whole source, as UTF-8 (validated window by window) or as GB18030 (converted).
    private static func pass(
        _ source: inout some ByteSource, gb18030: Bool, window: Int, _ body: (Event) -> Void
    ) throws -> Pass {
        var text = Window(capacity: 2 * window)
        defer { text.deallocate() }
        // UTF-8: the text is the source's bytes, and `text.base` their offset in the file.
        // GB18030: the source's bytes go through `raw`, of which `pending` at its front are a sequence
        // the last window cut; `rawBase` is the file offset of raw[0].
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: gb18030 ? window : 0, alignment: 16)
        defer { raw.deallocate() }
        var pending = 0
        var rawBase = 0
        let converter = gb18030 ? try GB18030Converter() : nil
        defer { converter?.close() }
        var checked = 0
        var scanFrom: Int? = gb18030 ? 0 : nil
        var bom = false
        var line = 1
        var eof = false
        while !eof {
            text.reserve(window)
            if let converter {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[pending...]))
                eof = n == 0
                let available = pending + n
                let converted = converter.convert(raw.baseAddress!, available, into: &text, final: eof)
                if let bad = converted.invalidAt { return .undecodable(rawBase + bad, bom: false) }
                pending = available - converted.consumed
                for k in 0..<pending { raw[k] = raw[converted.consumed + k] }
                rawBase += converted.consumed
                checked = text.count
            } else {
                let n = try source.read(into: UnsafeMutableRawBufferPointer(start: text.end, count: window))
                eof = n == 0
                text.count += n
                if scanFrom == nil {
                    // The byte-order mark is known once there are three bytes (or the file is shorter).
                    guard text.count >= 3 || eof else { continue }
                    bom = text.count >= 3 && text.bytes[0] == 0xEF && text.bytes[1] == 0xBB && text.bytes[2] == 0xBF
                    scanFrom = bom ? 3 : 0
                    checked = bom ? 3 : 0
                }
                let valid = UTF8Check.validPrefix(text.bytes + checked, text.count - checked)
                checked += valid.length
                // A sequence the window cuts waits for the next window; at the end of the file it is invalid.
                if checked < text.count, !valid.truncated || eof { return .undecodable(text.base + checked, bom: bom) }
            }
            let encoding: TextEncoding = gb18030 ? .gb18030 : bom ? .utf8WithBOM : .utf8
            let from = scanFrom ?? 0
            let final = eof && checked == text.count
            let scanned: (consumed: Int, line: Int)
            do throws(CSVReader.Failure) {
                scanned = try CSVReader.scan(
                    UnsafeBufferPointer(start: text.bytes + from, count: checked - from), final: final, firstLine: line
                ) { body(.record($0)) }
            } catch {
                return .malformed(error, encoding)
            }
            line = scanned.line
            if final { return .finished(encoding) }
            // The record the window cut goes to the front, to be scanned again with what follows it.
            let keep = from + scanned.consumed
            text.drop(keep)
            checked -= keep
            scanFrom = 0
            body(.progress(rawBytes: gb18030 ? rawBase : text.base))
        }
        // The loop ends by the final scan; an end of file without it cannot be reached.
        return .finished(gb18030 ? .gb18030 : bom ? .utf8WithBOM : .utf8)
    }
}

/// The UTF-8 text of ``CSVStream``: a buffer whose front is dropped as records are scanned and which
/// grows only for a record longer than a window.
struct Window {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes of text in the buffer.
    var count = 0
    /// Bytes dropped before `bytes[0]`.
    private(set) var base = 0

    init(capacity: Int) {
        bytes = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    var end: UnsafeMutablePointer<UInt8> { bytes + count }
    var free: Int { capacity - count }

    /// Room for at least `room` more bytes.
    mutating func reserve(_ room: Int) {
        guard capacity - count < room else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(2 * capacity, count + room))
        grown.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = grown
        capacity = max(2 * capacity, count + room)
    }

    /// Drops the first `n` bytes.
    mutating func drop(_ n: Int) {
        guard n > 0 else { return }
        if n < count { bytes.update(from: bytes + n, count: count - n) }
        count -= n
        base += n
    }

    func deallocate() { bytes.deallocate() }
}

/// UTF-8 validation without making a `String` of what it checks.
enum UTF8Check {
    /// The length of the valid prefix of `p[0..<n]`, ending before the first invalid sequence; and
    /// whether that sequence is only cut short by the end (it may go on past `n`).
    static func validPrefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> (length: Int, truncated: Bool) {
        var i = 0
        while i < n {
            // ASCII eight bytes at a time.
            while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let b0 = p[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            // Length and the range of the second byte (which excludes overlong forms, surrogates and
            // code points past U+10FFFF); later bytes are 80…BF.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                high = 0x9F
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                high = 0x8F
            default: return (i, false)
            }
            var k = 1
            while k < length {
                guard i + k < n else { return (i, true) }
                let b = p[i + k]
                if k == 1 ? !(low...high).contains(b) : (b & 0xC0) != 0x80 { return (i, false) }
                k += 1
            }
            i += length
        }
        return (n, false)
    }
}

/// GB18030 to UTF-8 through iconv, window by window.
final class GB18030Converter {
    private let cd: iconv_t

    struct Failure: Error, CustomStringConvertible {
        var description: String { "iconv cannot convert GB18030 to UTF-8 here" }
    }

    init() throws {
        cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { throw Failure() }
    }

    func close() { iconv_close(cd) }

    /// Converts what it can of `input[0..<count]` to the end of `text`: how many input bytes were
    /// consumed (a sequence cut by the end of the input is left, unless `final`), or where the input
    /// stops being GB18030.
    func convert(_ input: UnsafeMutableRawPointer, _ count: Int, into text: inout Window, final: Bool) -> (
        consumed: Int, invalidAt: Int?
    ) {
        // iconv's input pointer is not const, but iconv only reads through it.
        var inPtr: UnsafeMutablePointer<CChar>? = input.assumingMemoryBound(to: CChar.self)
        var inLeft = count
        while true {
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(text.end).assumingMemoryBound(to: CChar.self)
            var outLeft = text.free
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            let error = r == -1 ? errno : 0
            text.count = text.capacity - outLeft
            if r != -1 { break }
            if error == E2BIG {
                text.reserve(max(inLeft * 2, 1 << 16))
                continue
            }
            // EINVAL: a sequence cut by the end of the input; EILSEQ: an invalid one.
            if error == EINVAL, !final { return (count - inLeft, nil) }
            return (count - inLeft, count - inLeft)
        }
        if final {
            // Flushes any shift state.
            while true {
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(text.end).assumingMemoryBound(to: CChar.self)
                var outLeft = text.free
                let r = iconv(cd, nil, nil, &outPtr, &outLeft)
                let error = r == -1 ? errno : 0
                text.count = text.capacity - outLeft
                if r == -1, error == E2BIG {
                    text.reserve(1 << 16)
                    continue
                }
                if r == -1 { return (count, count) }
                break
            }
        }
        return (count - inLeft, nil)
    }
}
