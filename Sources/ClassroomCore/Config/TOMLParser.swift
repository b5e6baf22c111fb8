struct TOMLParser {
    let file: String
    private let chars: [Character]
    private var i = 0
    private var line = 1
    /// How deeply arrays nest right now; past ``maximumArrayDepth`` the value is refused (a file of
    /// `[[[[…` overflowed the stack: found by FuzzTOML).
    private var arrayDepth = 0
    static let maximumArrayDepth = 32

    init(text: String, file: String) {
        self.file = file
        // A UTF-8 BOM at the start is tolerated (editors on Windows add one).
        var t = Substring(text)
        if t.first == "\u{FEFF}" { t = t.dropFirst() }
        self.chars = Array(t)
    }

    private func fail(_ message: String, key: String? = nil) -> TOMLError {
        TOMLError(file: file, line: line, key: key, message: message)
    }

    private var current: Character? { i < chars.count ? chars[i] : nil }

    private mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { i += 1 }
    }

    private mutating func skipComment() {
        if current == "#" { while let c = current, c != "\n" { i += 1 } }
    }

    /// Spaces, comments and newlines (inside arrays).
    private mutating func skipBlank() {
        while let c = current {
            if c == " " || c == "\t" || c == "\r" {
                i += 1
            } else if c == "\n" {
                i += 1
                line += 1
            } else if c == "#" {
                skipComment()
            } else {
                return
            }
        }
    }

    private mutating func endOfLine() throws(TOMLError) {
        skipSpaces()
        skipComment()
        if current == "\r" { i += 1 }
        guard current == nil || current == "\n" else { throw fail("unexpected '\(current!)' after value") }
        if current == "\n" {
            i += 1
            line += 1
        }
    }

    mutating func parse() throws(TOMLError) -> TOMLDocument {
        var doc = TOMLDocument(root: TOMLTable(name: "", line: 0, file: file), tables: [:], arrays: [:], file: file)
        enum Target {
            case root
            case table(String)
            case array(String, Int)
        }
        var target = Target.root
        while true {
            skipBlank()
            guard let c = current else { break }
            if c == "[" {
                let headerLine = line
                let isArray = i + 1 < chars.count && chars[i + 1] == "["
                i += isArray ? 2 : 1
                skipSpaces()
                let name = try key()
                skipSpaces()
                guard current == "]", !isArray || (i + 1 < chars.count && chars[i + 1] == "]") else {
                    throw fail(current == "." ? "nested tables are not supported" : "malformed table header")
                }
                i += isArray ? 2 : 1
                try endOfLine()
                if isArray {
                    if doc.tables[name] != nil { throw fail("[[\(name)]] conflicts with table [\(name)]", key: name) }
                    doc.arrays[name, default: []].append(TOMLTable(name: name, line: headerLine, file: file))
                    target = .array(name, doc.arrays[name]!.count - 1)
                } else {
                    if let existing = doc.tables[name] {
                        throw fail("table [\(name)] defined twice (first on line \(existing.line))", key: name)
                    }
                    if doc.arrays[name] != nil { throw fail("[\(name)] conflicts with [[\(name)]]", key: name) }
                    doc.tables[name] = TOMLTable(name: name, line: headerLine, file: file)
                    target = .table(name)
                }
                continue
            }
            let keyLine = line
            let k = try key()
            skipSpaces()
            if current == "." { throw fail("dotted keys are not supported", key: k) }
            guard current == "=" else { throw fail("expected '=' after key", key: k) }
            i += 1
            skipSpaces()
            let v: TOMLValue
            do {
                v = try value()
            } catch {
                throw TOMLError(file: file, line: error.line, key: k, message: error.message)
            }
            try endOfLine()
            switch target {
            case .root: try doc.root.set(k, v, line: keyLine)
            case .table(let n): try doc.tables[n]!.set(k, v, line: keyLine)
            case .array(let n, let idx): try doc.arrays[n]![idx].set(k, v, line: keyLine)
            }
        }
        return doc
    }

    private mutating func key() throws(TOMLError) -> String {
        if current == "\"" { return try basicString() }
        if current == "'" { return try literalString() }
        var k = ""
        while let c = current, c.isASCII, c.isLetter || c.isNumber || c == "_" || c == "-" {
            k.append(c)
            i += 1
        }
        guard !k.isEmpty else { throw fail(current.map { "unexpected '\($0)' where a key was expected" } ?? "expected a key") }
        return k
    }

    private mutating func value() throws(TOMLError) -> TOMLValue {
        guard let c = current else { throw fail("missing value") }
        switch c {
        case "\"":
            if i + 2 < chars.count, chars[i + 1] == "\"", chars[i + 2] == "\"" {
                throw fail("multi-line strings are not supported")
            }
            return .string(try basicString())
        case "'": return .string(try literalString())
        case "[": return try array()
        case "{": throw fail("inline tables are not supported")
        case "t", "f":
            var word = ""
            while let c = current, c.isLetter {
                word.append(c)
                i += 1
            }
            switch word {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw fail("unknown value '\(word)' (strings need quotes)")
            }
        default: return try number()
        }
    }

    private mutating func number() throws(TOMLError) -> TOMLValue {
        var text = ""
        while let c = current, c.isASCII, c.isNumber || "+-._eE".contains(c) || c.isLetter {
            text.append(c)
            i += 1
        }
        guard !text.isEmpty else {
            throw fail("unexpected '\(current.map(String.init) ?? "end of file")' where a value was expected")
        }
        if text.allSatisfy(\.isLetter) { throw fail("unknown value '\(text)' (strings need quotes)") }
        let digits = text.replacingUnderscores()
        if text.contains("__") || text.hasPrefix("_") || text.hasSuffix("_") { throw fail("malformed number '\(text)'") }
        if let v = Int64(digits),
            !(digits.dropFirst(digits.first == "-" || digits.first == "+" ? 1 : 0).hasPrefix("0") && digits.count > 1)
        {
            return .integer(v)
        }
        if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let d = Double(digits), d.isFinite,
            !digits.hasPrefix("."), !digits.hasSuffix("."), !digits.contains(".e"), !digits.contains(".E")
        {
            return .float(d)
        }
        if text.contains("-"), text.count >= 8 { throw fail("dates are not supported ('\(text)'); use a string") }
        throw fail("malformed number '\(text)'")
    }

    private mutating func array() throws(TOMLError) -> TOMLValue {
        guard arrayDepth < Self.maximumArrayDepth else {
            throw fail("arrays nested more than \(Self.maximumArrayDepth) deep")
        }
        arrayDepth += 1
        defer { arrayDepth -= 1 }
        i += 1
        var items: [TOMLValue] = []
        while true {
            skipBlank()
            if current == "]" {
                i += 1
                return .array(items)
            }
            guard current != nil else { throw fail("unterminated array") }
            items.append(try value())
            skipBlank()
            if current == "," {
                i += 1
            } else if current == nil {
                throw fail("unterminated array")
            } else if current != "]" {
                throw fail("expected ',' or ']' in array")
            }
        }
    }

    private mutating func literalString() throws(TOMLError) -> String {
        i += 1
        var s = ""
        while let c = current, c != "'" {
            if c == "\n" { throw fail("unterminated string") }
            s.append(c)
            i += 1
        }
        guard current == "'" else { throw fail("unterminated string") }
        i += 1
        return s
    }

    private mutating func basicString() throws(TOMLError) -> String {
        i += 1
        var s = ""
        while let c = current, c != "\"" {
            if c == "\n" { throw fail("unterminated string") }
            i += 1
            guard c == "\\" else {
                s.append(c)
                continue
            }
            guard let e = current else { throw fail("unterminated string") }
            i += 1
            switch e {
            case "\"": s.append("\"")
            case "\\": s.append("\\")
            case "n": s.append("\n")
            case "t": s.append("\t")
            case "r": s.append("\r")
            case "u", "U":
                let n = e == "u" ? 4 : 8
                guard i + n <= chars.count, let code = UInt32(String(chars[i..<i + n]), radix: 16),
                    let scalar = Unicode.Scalar(code)
                else {
                    throw fail("bad \\\(e) escape")
                }
                s.unicodeScalars.append(scalar)
                i += n
            default: throw fail("unknown escape '\\\(e)'")
            }
        }
        guard current == "\"" else { throw fail("unterminated string") }
        i += 1
        return s
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
