/// Where one field lies in the buffer being scanned (``CSVReader/scan(_:_:)``).
public struct CSVFieldSpan: Sendable, Hashable {
    /// Byte range of the field's content (inside the quotes for a quoted field).
    public var start: Int
    public var end: Int
    /// A quoted field that holds `""` escapes, which ``CSVRecordView/field(_:)`` turns into `"`.
    public var escaped: Bool
}

/// One record during ``CSVReader/scan(_:_:)``: its first line and where its fields lie. Valid only
/// inside the callback (it points into the scanned buffer); ``field(_:)`` makes a field's `String`.
public struct CSVRecordView {
    /// 1-based physical line on which the record starts.
    public let line: Int
    let bytes: UnsafeBufferPointer<UInt8>
    /// The scan's own buffer of spans (no array retained and released for each record).
    let spans: UnsafeBufferPointer<CSVFieldSpan>

    public var count: Int { spans.count }

    /// Field `i` (0-based) as text; the buffer must be UTF-8 (invalid sequences become U+FFFD).
    public func field(_ i: Int) -> String {
        let span = spans[i]
        let raw = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
        guard span.escaped else { return String(decoding: raw, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            unescaped.append(raw[i])
            // Inside quotes every `"` is the first of a `""` pair (the scan checked it).
            i += raw[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// Every field as text.
    public var fields: [String] { (0..<spans.count).map(field) }

    /// Field `i`'s UTF-8 bytes as `field(i).trimmingSpaces` has them, without making a `String` when
    /// there is nothing to unescape or trim (the millions of clean cells of a large timetable).
    func withTrimmedField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let span = spans[i]
        if !span.escaped {
            let raw = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
            // The test of `trimmingSpaces`'s fast path: no space, tab or U+3000 (E3 80 80) at either end.
            let first = raw.first
            let last = raw.last
            if first != 0x20, first != 0x09, first != 0xE3, last != 0x20, last != 0x09, last != 0x80 { return body(raw) }
        }
        var text = field(i).trimmingSpaces
        return text.withUTF8(body)
    }
}

extension CSVReader {
    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    /// Calls `body` with each record of `bytes` in order, in one pass that keeps no record: the way a
    /// province's 300 MB timetable is read without holding millions of records (RFC 4180 as
    /// ``records(_:)``: quoted fields may hold commas, quotes and line breaks; CRLF or LF; blank lines
    /// skipped). Fields are located, not copied: a caller makes the `String`s it needs.
    ///
    /// - Throws: ``Failure`` at the first malformed record; `body` has then seen the records before it.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (CSVRecordView) -> Void) throws(Failure) {
        _ = try scan(bytes, final: true, firstLine: 1, body)
    }

    /// ``scan(_:_:)`` over one window of a longer text: the records that end inside `bytes`. Unless
    /// `final`, a record that reaches the end of `bytes` may go on in the next window (an unquoted
    /// field without its line end, a quote that may be the first of `""`, a CR that may precede LF):
    /// it is not reported, and the result says where it starts so that the caller carries it over.
    ///
    /// - Parameter firstLine: the physical line on which `bytes` starts.
    /// - Returns: the bytes consumed (every byte when `final`) and the line on which the rest starts.
    /// - Throws: ``Failure`` at the first malformed record (never for one cut short by a non-final end).
    public static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, final: Bool, firstLine: Int, _ body: (CSVRecordView) -> Void
    ) throws(Failure) -> (consumed: Int, line: Int) {
        let n = bytes.count
        var spanCapacity = 16
        var spanStorage = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: spanCapacity)
        defer { spanStorage.deallocate() }
        var spanCount = 0
        func addSpan(_ span: CSVFieldSpan) {
            if spanCount == spanCapacity {
                let grown = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: 2 * spanCapacity)
                grown.moveInitialize(from: spanStorage, count: spanCount)
                spanStorage.deallocate()
                spanStorage = grown
                spanCapacity *= 2
            }
            (spanStorage + spanCount).initialize(to: span)
            spanCount += 1
        }
        var line = firstLine
        var i = 0
        records: while i < n {
            let recordStart = i
            let recordLine = line
            spanCount = 0
            var endOfRecord = false
            while !endOfRecord {
                var k = i
                while k < n, bytes[k] == 0x20 { k += 1 }
                if !final, k == n { return (recordStart, recordLine) }
                if k < n, bytes[k] == quote {
                    let quoteLine = line
                    var p = k + 1
                    var escaped = false
                    while true {
                        guard p < n else {
                            if !final { return (recordStart, recordLine) }
                            throw Failure(line: quoteLine, message: "quoted field is never closed")
                        }
                        let b = bytes[p]
                        if b == quote {
                            if p + 1 < n, bytes[p + 1] == quote {
                                escaped = true
                                p += 2
                                continue
                            }
                            break
                        }
                        if b == lf { line += 1 }
                        p += 1
                    }
                    addSpan(CSVFieldSpan(start: k + 1, end: p, escaped: escaped))
                    p += 1
                    while p < n, bytes[p] == 0x20 || bytes[p] == 0x09 { p += 1 }
                    // The closing quote, or a CR after it, may be followed by more in the next window.
                    if !final, p == n || (bytes[p] == cr && p + 1 == n) { return (recordStart, recordLine) }
                    if p == n {
                        endOfRecord = true
                        i = n
                    } else if bytes[p] == comma {
                        i = p + 1
                    } else if bytes[p] == lf || (bytes[p] == cr && p + 1 < n && bytes[p + 1] == lf) {
                        endOfRecord = true
                        i = bytes[p] == lf ? p + 1 : p + 2
                        line += 1
                    } else if bytes[p] == quote {
                        throw Failure(line: line, message: "stray quote inside an unquoted field")
                    } else {
                        throw Failure(line: line, message: "text after a closing quote")
                    }
                } else {
                    var p = i
                    while p < n {
                        let b = bytes[p]
                        if b == comma || b == lf || b == quote { break }
                        p += 1
                    }
                    if p < n, bytes[p] == quote {
                        throw Failure(line: line, message: "stray quote inside an unquoted field")
                    }
                    if !final, p == n { return (recordStart, recordLine) }
                    var end = p
                    if p < n, bytes[p] == lf {
                        if end > i, bytes[end - 1] == cr { end -= 1 }
                        endOfRecord = true
                        line += 1
                    } else if p == n {
                        endOfRecord = true
                    }
                    addSpan(CSVFieldSpan(start: i, end: end, escaped: false))
                    i = p + 1
                }
            }
            if spanCount == 1, spanStorage[0].start == spanStorage[0].end { continue records }
            body(CSVRecordView(line: recordLine, bytes: bytes, spans: UnsafeBufferPointer(start: spanStorage, count: spanCount)))
        }
        return (n, line)
    }

    /// Every record of `text` (``scan(_:_:)`` collecting the records): for files small enough to hold.
    public static func records(_ text: String) throws(Failure) -> [CSVRecord] {
        let bytes = Array(text.utf8)
        var records: [CSVRecord] = []
        let outcome = bytes.withUnsafeBufferPointer { buffer -> Failure? in
            do throws(Failure) {
                try scan(buffer) { records.append(CSVRecord(line: $0.line, fields: $0.fields)) }
                return nil
            } catch {
                return error
            }
        }
        if let outcome { throw outcome }
        return records
    }
}
