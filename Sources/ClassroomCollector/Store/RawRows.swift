import GRDB
import GRDBSQLite

/// Rows of a read-only query stepped with SQLite's C interface, for reads of millions of small rows
/// (the coverage report's window), where GRDB's `Row` decoding by column costs more than SQLite's work.
/// Columns are read by index, as the query lists them; a value of another type than asked is converted
/// as SQLite converts it (`sqlite3_column_int64` of a text is its number, and so on).
struct RawRows {
    let statement: OpaquePointer

    /// Runs `sql` with `arguments` on `db`, calling `row` for each row.
    static func step(_ db: Database, _ sql: String, _ arguments: StatementArguments, _ row: (RawRows) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        // The statement finalizes its SQLite statement when released: keep it until the last step
        // (ARC may release an object after its last use, which `sqliteStatement` would be).
        try withExtendedLifetime(statement) {
            let s = statement.sqliteStatement
            defer { sqlite3_reset(s) }
            while true {
                let code = sqlite3_step(s)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                        sql: sql)
                }
                try row(RawRows(statement: s))
            }
        }
    }

    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }

    func int(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }

    func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }

    func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(statement, i) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i))), as: UTF8.self)
    }

    func optionalText(_ i: Int32) -> String? { isNull(i) ? nil : text(i) }

    /// Column `i` as stored bytes: a blob's own, none for NULL, and one byte for a value of another type
    /// (which no packed list parses, so the row reads as malformed).
    func blob<T>(_ i: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_NULL: return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        case SQLITE_BLOB:
            let p = sqlite3_column_blob(statement, i)
            return try body(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i))))
        default:
            return try withUnsafeBytes(of: UInt8(0)) { try body($0) }
        }
    }
}
