import CSQLite

/// A value bound to a statement parameter.
public enum SQLiteValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case null
}

/// A prepared statement; finalized in `deinit`.
public final class SQLiteStatement {
    private let stmt: OpaquePointer
    private let connection: SQLiteConnection
    private let sql: String

    init(_ stmt: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.stmt = stmt
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(stmt) }

    /// Resets the statement and binds `values` to parameters 1…n.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .integer(let v): rc = sqlite3_bind_int64(stmt, index, v)
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .text(let s):
                var s = s
                rc = s.withUTF8 { cf_sqlite3_bind_text_transient(stmt, index, $0.baseAddress, Int32($0.count)) }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
        }
    }

    /// Advances one row: true when a row is available, false when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(rc, sql)
            sqlite3_reset(stmt)
            throw error
        }
    }

    /// Binds, runs to completion and resets.
    public func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        try bind(values)
        while try step() {}
        sqlite3_reset(stmt)
    }

    public func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }

    public func optionalInt(_ column: Int32) -> Int64? {
        sqlite3_column_type(stmt, column) == SQLITE_NULL ? nil : sqlite3_column_int64(stmt, column)
    }

    public func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, column) else { return "" }
        let count = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }

    public func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(stmt, column) == SQLITE_NULL ? nil : text(column)
    }
}
