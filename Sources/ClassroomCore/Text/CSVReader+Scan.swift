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
    let spans: [CSVFieldSpan]

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
        let n = bytes.count
        var spans: [CSVFieldSpan] = []
        var line = 1
        var i = 0
        while i < n {
            let recordLine = line
            spans.removeAll(keepingCapacity: true)
            var endOfRecord = false
            while !endOfRecord {
                var k = i
                while k < n, bytes[k] == 0x20 { k += 1 }
                if k < n, bytes[k] == quote {
                    let quoteLine = line
                    var p = k + 1
                    var escaped = false
                    while true {
                        guard p < n else { throw Failure(line: quoteLine, message: "quoted field is never closed") }
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
                    spans.append(CSVFieldSpan(start: k + 1, end: p, escaped: escaped))
                    p += 1
                    while p < n, bytes[p] == 0x20 || bytes[p] == 0x09 { p += 1 }
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
                    var end = p
                    if p < n, bytes[p] == lf {
                        if end > i, bytes[end - 1] == cr { end -= 1 }
                        endOfRecord = true
                        line += 1
                    } else if p == n {
                        endOfRecord = true
                    }
                    spans.append(CSVFieldSpan(start: i, end: end, escaped: false))
                    i = p + 1
                }
            }
            if spans.count == 1, spans[0].start == spans[0].end { continue }
            body(CSVRecordView(line: recordLine, bytes: bytes, spans: spans))
        }
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
