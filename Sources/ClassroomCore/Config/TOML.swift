/// A strict subset of TOML, enough for the agent's config and the coverage target profiles.
///
/// Supported: `key = value` with bare or quoted keys; basic (`"…"` with `\" \\ \n \t \r \uXXXX`) and
/// literal (`'…'`) strings; integers (decimal, optional sign, `_` separators); floats (`2.3`, `1e3`);
/// booleans; arrays of these on one or more lines; `[table]` and `[[array-of-tables]]` one level
/// deep; `#` comments. Everything else — dotted keys, inline tables, dates, nested tables — is an
/// error with its line, not silently ignored.
///
/// ARCHITECTURE.md §8: TOMLKit imports full Foundation, which the agent must not link.
public struct TOMLDocument: Sendable, Hashable {
    /// Keys before the first table header.
    public var root: TOMLTable
    /// `[name]` tables, by name.
    public var tables: [String: TOMLTable]
    /// `[[name]]` arrays of tables, by name, in file order.
    public var arrays: [String: [TOMLTable]]
    /// The file name used in error messages.
    public var file: String

    /// Parses `text`; errors carry `file` and the line number.
    public static func parse(_ text: String, file: String) throws(TOMLError) -> TOMLDocument {
        var parser = TOMLParser(text: text, file: file)
        return try parser.parse()
    }
}

/// A TOML value of the supported subset.
public enum TOMLValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])

    /// The TOML type name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        }
    }
}

/// One table: its keys with the line each was set on.
public struct TOMLTable: Sendable, Hashable {
    /// The table's name (`""` for the root), for error messages.
    public var name: String
    /// The line of the header (`0` for the root).
    public var line: Int
    public var file: String
    public private(set) var entries: [String: (TOMLValue, Int)] = [:]
    /// Keys in file order.
    public private(set) var keys: [String] = []

    init(name: String, line: Int, file: String) {
        self.name = name
        self.line = line
        self.file = file
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.keys == b.keys && a.keys.allSatisfy { a.entries[$0]! == b.entries[$0]! }
    }

    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(keys)
    }

    mutating func set(_ key: String, _ value: TOMLValue, line: Int) throws(TOMLError) {
        if let (_, first) = entries[key] {
            throw TOMLError(file: file, line: line, key: qualified(key), message: "duplicate key (first set on line \(first))")
        }
        entries[key] = (value, line)
        keys.append(key)
    }

    func qualified(_ key: String) -> String { name.isEmpty ? key : "\(name).\(key)" }

    /// The raw value and its line, or nil when absent.
    public subscript(key: String) -> (value: TOMLValue, line: Int)? {
        entries[key].map { (value: $0.0, line: $0.1) }
    }

    private func typeError(_ key: String, _ expected: String, _ got: TOMLValue, _ line: Int) -> TOMLError {
        TOMLError(file: file, line: line, key: qualified(key), message: "expected \(expected), found \(got.typeName)")
    }

    /// A string value, nil when absent; a value of another type is an error.
    public func string(_ key: String) throws(TOMLError) -> String? {
        guard let (v, line) = entries[key] else { return nil }
        guard case .string(let s) = v else { throw typeError(key, "a string", v, line) }
        return s
    }

    public func integer(_ key: String) throws(TOMLError) -> Int64? {
        guard let (v, line) = entries[key] else { return nil }
        guard case .integer(let i) = v else { throw typeError(key, "an integer", v, line) }
        return i
    }

    /// A number; integers are accepted where a float is expected.
    public func number(_ key: String) throws(TOMLError) -> Double? {
        guard let (v, line) = entries[key] else { return nil }
        switch v {
        case .float(let d): return d
        case .integer(let i): return Double(i)
        default: throw typeError(key, "a number", v, line)
        }
    }

    public func boolean(_ key: String) throws(TOMLError) -> Bool? {
        guard let (v, line) = entries[key] else { return nil }
        guard case .boolean(let b) = v else { throw typeError(key, "a boolean", v, line) }
        return b
    }

    public func stringArray(_ key: String) throws(TOMLError) -> [String]? {
        guard let (v, line) = entries[key] else { return nil }
        guard case .array(let items) = v else { throw typeError(key, "an array of strings", v, line) }
        return try items.map { item throws(TOMLError) in
            guard case .string(let s) = item else { throw typeError(key, "an array of strings", item, line) }
            return s
        }
    }

    /// A required value: absent is an error naming the key and the table.
    public func require<T>(_ key: String, _ get: (String) throws(TOMLError) -> T?) throws(TOMLError) -> T {
        guard let v = try get(key) else {
            throw TOMLError(
                file: file, line: line, key: qualified(key),
                message: "missing required key" + (name.isEmpty ? "" : " in [\(name)]"))
        }
        return v
    }

    /// Rejects keys outside `allowed`, so a typo is an error rather than a silently ignored setting.
    public func rejectUnknownKeys(allowed: Set<String>) throws(TOMLError) {
        for key in keys where !allowed.contains(key) {
            throw TOMLError(
                file: file, line: entries[key]!.1, key: qualified(key),
                message: "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// An error at `key`'s line, for values that parse but are out of range.
    public func error(_ key: String, _ message: String) -> TOMLError {
        TOMLError(file: file, line: entries[key]?.1 ?? line, key: qualified(key), message: message)
    }
}

/// A TOML syntax or schema error: `FILE:LINE: key: message`.
public struct TOMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var key: String?
    public var message: String

    public init(file: String, line: Int, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String { "\(file):\(line): " + (key.map { "\($0): " } ?? "") + message }
}
