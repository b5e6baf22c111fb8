/// One CSV record with the line it starts on.
public struct CSVRecord: Sendable, Hashable {
    /// 1-based physical line on which the record starts (a quoted field may span lines).
    public var line: Int
    public var fields: [String]
}

/// An RFC 4180 CSV reader: comma separated, `"` quoting with `""` escapes, quoted fields may hold
/// commas and line breaks, LF or CRLF line ends; blank lines are skipped.
public enum CSVReader {
    /// A malformed CSV file (an unterminated quote, text after a closing quote).
    public struct Failure: Error, Sendable, Hashable {
        public var line: Int
        public var message: String
    }

    public static func records(_ text: String) throws(Failure) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 0
        var afterQuote = false
        let bytes = Array(text.utf8)
        var i = 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                endField()
            case 0x0D where i + 1 < bytes.count && bytes[i + 1] == 0x0A:
                break
            case 0x0A:
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.allSatisfy({ $0 == 0x20 }), !afterQuote else {
                    throw Failure(line: line, message: "stray quote inside an unquoted field")
                }
                field.removeAll()
                inQuotes = true
                quoteLine = line
            default:
                if afterQuote {
                    guard b == 0x20 || b == 0x09 else {
                        throw Failure(line: line, message: "text after a closing quote")
                    }
                } else {
                    field.append(b)
                }
            }
            i += 1
        }
        if inQuotes { throw Failure(line: quoteLine, message: "quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        return records
    }

    /// The 0-based field of its record in which byte `offset` of undecoded `bytes` lies: the commas
    /// outside quotes since the record began, in one pass over the bytes before it.
    ///
    /// - Important: scans bytes, not text, so that it works on a file that does not decode. This is
    ///   sound for UTF-8 and GB18030, whose multi-byte sequences never hold `,`, `"` or LF.
    public static func fieldIndex(at offset: Int, in bytes: [UInt8]) -> Int {
        var field = 0
        var inQuotes = false
        for byte in bytes[..<min(offset, bytes.count)] {
            switch byte {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: ",") where !inQuotes: field += 1
            case 0x0A where !inQuotes: field = 0
            default: break
            }
        }
        return field
    }

    /// Quotes a field when it holds a comma, a quote or a line break (RFC 4180).
    public static func escape(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
        else {
            return field
        }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
