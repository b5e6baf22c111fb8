import PostgresNIO

/// Reading a result's cells from their bytes, for the reads of hundreds of thousands of rows (the
/// registry, the coverage window): postgres-nio's `row.decode((A, B, …).self)` looks up the tuple's type
/// metadata and each column's decoder on every row, which for the province's 300,000 devices and
/// inventories was most of the time their rows took on the collector's side. Each helper reads the
/// common case (a binary cell of the expected type) directly and hands anything else to `decode`, so a
/// cell of an unexpected type still reads, or fails with postgres-nio's error.
extension CollectorPostgresStore {
    /// A `bigint` cell's value: read from its 8 bytes when sent in binary (as postgres-nio asks for
    /// results), else decoded.
    static func int64(_ cell: PostgresCell) throws -> Int64 {
        if cell.format == .binary, cell.dataType == .int8, let bytes = cell.bytes, bytes.readableBytes == 8,
            let value = bytes.getInteger(at: bytes.readerIndex, endianness: .big, as: Int64.self)
        {
            return value
        }
        return try cell.decode(Int64.self)
    }

    /// A nullable `bigint` cell's value (nil for SQL NULL).
    static func int64OrNil(_ cell: PostgresCell) throws -> Int64? {
        cell.bytes == nil ? nil : try int64(cell)
    }

    /// A `text` cell's value, made from its bytes (the connection's client encoding is UTF-8).
    static func string(_ cell: PostgresCell) throws -> String {
        if cell.dataType == .text || cell.dataType == .varchar, let bytes = cell.bytes {
            return String(decoding: bytes.readableBytesView, as: UTF8.self)
        }
        return try cell.decode(String.self)
    }

    /// A nullable `text` cell's value (nil for SQL NULL).
    static func stringOrNil(_ cell: PostgresCell) throws -> String? {
        cell.bytes == nil ? nil : try string(cell)
    }
}

/// The `String`s of text cells read row after row, where a column most often repeats the row before's
/// value (a timetable's lessons come room by room): the value before is kept for each column and given
/// again when the bytes are the same, so that equal ids share one string instead of one copy a row.
struct RepeatedText {
    private var last: [(bytes: [UInt8], string: String)] = []

    mutating func string(_ cell: PostgresCell, _ column: Int) throws -> String {
        guard let bytes = cell.bytes else { return try CollectorPostgresStore.string(cell) }
        while last.count <= column { last.append(([], "")) }
        if bytes.readableBytesView.elementsEqual(last[column].bytes) { return last[column].string }
        let value = try CollectorPostgresStore.string(cell)
        last[column] = (Array(bytes.readableBytesView), value)
        return value
    }
}
