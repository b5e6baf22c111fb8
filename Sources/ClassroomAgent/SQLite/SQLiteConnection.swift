import CSQLite

/// A SQLite error with the library's result code and message, naming the statement at fault.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The primary result code (`SQLITE_CORRUPT`, `SQLITE_FULL`, …).
    public var code: Int32
    public var message: String
    public var sql: String?

    public var description: String {
        "sqlite error \(code): \(message)" + (sql.map { " (in: \($0))" } ?? "")
    }

    /// The database file is damaged or is not a database at all.
    public var isCorruption: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }
    /// The disk (or the configured page limit) is full.
    public var isFull: Bool { code == SQLITE_FULL }
}

/// One SQLite connection: owns the handle, sets the pragmas, prepares statements, runs migrations.
///
/// - Important: not thread-safe; the owner (the ``Outbox`` actor) serialises access.
public final class SQLiteConnection {
    private var handle: OpaquePointer?
    public let path: String

    /// Opens (creating when `readOnly` is false) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        self.path = path
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc & 0xFF, message: "\(path): \(message)", sql: nil)
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Closes now (idempotent); later calls fail with `SQLITE_MISUSE`.
    public func close() {
        sqlite3_close_v2(handle)
        handle = nil
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        guard rc == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "error"
            sqlite3_free(error)
            throw SQLiteError(code: rc & 0xFF, message: message, sql: sql)
        }
    }

    /// Prepares `sql` for repeated use.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        return SQLiteStatement(stmt, connection: self, sql: sql)
    }

    /// The first column of the first row of `sql` as an integer (nil for no row or NULL).
    public func scalar(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> Int64? {
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        return try stmt.step() ? stmt.optionalInt(0) : nil
    }

    /// Runs `body` in `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    public func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The schema version kept in `PRAGMA user_version`.
    public var userVersion: Int64 {
        get throws(SQLiteError) { try scalar("PRAGMA user_version") ?? 0 }
    }

    /// Applies `migrations[n]` for every n ≥ the current `user_version`, each in its own transaction.
    ///
    /// - Important: shipped migrations are never edited; new ones are appended.
    public func migrate(_ migrations: [String]) throws(SQLiteError) {
        let current = Int(try userVersion)
        // user_version is a signed 32-bit field of the file: a damaged file can hold a negative one.
        guard current >= 0 else {
            throw SQLiteError(code: SQLITE_CORRUPT, message: "\(path) has a negative schema version \(current)", sql: nil)
        }
        guard current <= migrations.count else {
            throw SQLiteError(
                code: SQLITE_ERROR, message: "\(path) has schema version \(current), newer than this agent (\(migrations.count))",
                sql: nil)
        }
        for version in current..<migrations.count {
            try transaction { () throws(SQLiteError) in
                try execute(migrations[version])
                try execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: rc & 0xFF, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
