import ClassroomCore
import Foundation

/// A table written as CSV the way Excel in a Chinese locale opens it without asking: UTF-8 with a
/// byte-order mark, CRLF line ends, fields quoted only when they must be (RFC 4180), formula-like
/// text made inert.
///
/// The coverage CSV of `classroomctl` and every table of the console use this one writer.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The bytes of the file: BOM, header line, one line per row.
    public func bytes() -> [UInt8] {
        var out = "\u{FEFF}" + Self.line(header)
        for row in rows { out += Self.line(row) }
        return Array(out.utf8)
    }

    static func line(_ cells: [String]) -> String { cells.map(field).joined(separator: ",") + "\r\n" }

    /// One cell: text that a spreadsheet would run as a formula (a leading `=`, `+`, `-` or `@` that is
    /// not a number) gets a leading `'`; then quoted when it must be (RFC 4180, ``CSVReader/escape(_:)``).
    public static func field(_ s: String) -> String {
        if let first = s.first, "=+-@".contains(first), Double(s) == nil { return CSVReader.escape("'" + s) }
        return CSVReader.escape(s)
    }

    /// A number as a spreadsheet reads it: integers without a decimal point, others with at most four
    /// decimals; empty for nil.
    public static func number(_ v: Double?) -> String {
        guard let v else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
