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
