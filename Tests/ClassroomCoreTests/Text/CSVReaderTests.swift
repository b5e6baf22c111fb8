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
