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

/// Parameters bound with SQLite's C interface, for writes of thousands of rows a request (the events of
/// an upload), where boxing every value into GRDB's `StatementArguments` cost more than SQLite's work.
struct RawBindings {
    let statement: OpaquePointer
    let db: Database
    private var index: Int32 = 1

    /// Runs `statement` (a write) on `db` with the parameters `bind` sets in order.
    static func execute(_ db: Database, _ statement: Statement, _ bind: (inout RawBindings) throws -> Void) throws {
        try withExtendedLifetime(statement) {
            let s = statement.sqliteStatement
            sqlite3_reset(s)
            defer { sqlite3_reset(s) }
            // Not `statement.sql`, which trims the whole text on every call (a tenth of ingest).
            var bindings = RawBindings(statement: s, db: db)
            try bind(&bindings)
            let code = sqlite3_step(s)
            guard code == SQLITE_DONE else { throw bindings.error(code) }
        }
    }

    init(statement: OpaquePointer, db: Database) {
        self.statement = statement
        self.db = db
    }

    mutating func int(_ value: Int64) throws {
        try check(sqlite3_bind_int64(statement, index, value))
    }

    /// Copied by SQLite (`SQLITE_TRANSIENT`).
    mutating func text(_ value: String) throws {
        var value = value
        let code = value.withUTF8 { utf8 in
            // An empty buffer may have no address, which SQLite would bind as NULL.
            guard let start = utf8.baseAddress, !utf8.isEmpty else {
                return sqlite3_bind_text(statement, index, "", 0, Self.transient)
            }
            return start.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text(statement, index, $0, Int32(utf8.count), Self.transient)
            }
        }
        try check(code)
    }

    private mutating func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
        index += 1
    }

    func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
            sql: sqlite3_sql(statement).map { String(cString: $0) })
    }

    /// `SQLITE_TRANSIENT`, a C macro Swift does not import.
    static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
