import Testing

@testable import ClassroomCore

@Suite struct CSVReaderTests {
    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let records = try CSVReader.records("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast,,\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 5])
    }

    @Test func crlfAndNoTrailingNewline() throws {
        let records = try CSVReader.records("a,b\r\n1,2")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func strayQuotesAreErrors() {
        #expect(throws: CSVReader.Failure(line: 2, message: "stray quote inside an unquoted field")) {
            try CSVReader.records("a\nab\"c\n")
        }
        #expect(throws: CSVReader.Failure(line: 1, message: "text after a closing quote")) {
            try CSVReader.records("\"a\"b,c\n")
        }
    }

    @Test func escapeRoundTrips() throws {
        let fields = ["plain", "with,comma", "with \"quote\"", "multi\nline", "中文"]
        let line = fields.map(CSVReader.escape).joined(separator: ",")
        #expect(try CSVReader.records(line).first?.fields == fields)
    }
}

/// The one-pass ``CSVReader/scan(_:_:)`` (which locates fields instead of copying them byte by byte)
/// against the byte-at-a-time reader it replaced, kept here as the oracle.
@Suite struct CSVScanDifferentialTests {
    /// The reader as it was before the scan: one state machine over every byte.
    static func oracle(_ text: String) throws(CSVReader.Failure) -> [CSVRecord] {
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
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(CSVRecord(line: recordLine, fields: fields)) }
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
            case UInt8(ascii: ","): endField()
            case 0x0D where i + 1 < bytes.count && bytes[i + 1] == 0x0A: break
            case 0x0A:
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.allSatisfy({ $0 == 0x20 }), !afterQuote else {
                    throw CSVReader.Failure(line: line, message: "stray quote inside an unquoted field")
                }
                field.removeAll()
                inQuotes = true
                quoteLine = line
            default:
                if afterQuote {
                    guard b == 0x20 || b == 0x09 else {
                        throw CSVReader.Failure(line: line, message: "text after a closing quote")
                    }
                } else {
                    field.append(b)
                }
            }
            i += 1
        }
        if inQuotes { throw CSVReader.Failure(line: quoteLine, message: "quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        return records
    }

    /// A small deterministic generator (SplitMix64), so that a failure names an input that reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func scanAgreesWithTheByteAtATimeReaderOnRandomInput() {
        // The characters that matter to CSV, and some that do not.
        let alphabet = ["a", "b", ",", "\"", "\"\"", "\n", "\r", "\r\n", " ", "\t", "语", "é"]
        var rng = SplitMix(state: 2026)
        var disagreements: [String] = []
        var failures = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            let expected = Result { () throws(CSVReader.Failure) in try Self.oracle(text) }
            let actual = Result { () throws(CSVReader.Failure) in try CSVReader.records(text) }
            if case .failure = expected { failures += 1 }
            if expected != actual, disagreements.count < 5 { disagreements.append(text.debugDescription) }
        }
        #expect(disagreements.isEmpty, "inputs where the readers disagree: \(disagreements)")
        // Both outcomes were exercised.
        #expect(failures > 1_000 && failures < 19_000, "\(failures) malformed inputs of 20,000")
    }

    @Test func aRecordMayBeReadWithoutCopyingItsFields() throws {
        let bytes = Array("id,name\r\nS1,\"水磨 \"\"中心\"\" 小学\"\nS2,鲁甸\n".utf8)
        var seen: [(Int, Int, String)] = []
        try bytes.withUnsafeBufferPointer { buffer in
            try CSVReader.scan(buffer) { seen.append(($0.line, $0.count, $0.field(1))) }
        }
        #expect(seen.map(\.0) == [1, 2, 3])
        #expect(seen.map(\.1) == [2, 2, 2])
        #expect(seen.map(\.2) == ["name", "水磨 \"中心\" 小学", "鲁甸"])
    }
}
