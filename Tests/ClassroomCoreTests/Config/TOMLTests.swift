import Testing

@testable import ClassroomCore

@Suite struct TOMLTests {
    @Test func parsesTheSupportedSubset() throws {
        let doc = try TOMLDocument.parse(
            """
            # agent config
            collector = "https://bureau.example/ \\u4E2D"
            port = 8_080
            ratio = 2.3
            enabled = true
            pcms = ["hw:1,0", 'plug:mic',
                    "default"]   # trailing comment

            [audio]
            "frame ms" = 20

            [[indicator]]
            key = "a"
            [[indicator]]
            key = "b"
            threshold = -1
            """, file: "agent.toml")
        #expect(try doc.root.string("collector") == "https://bureau.example/ 中")
        #expect(try doc.root.integer("port") == 8080)
        #expect(try doc.root.number("ratio") == 2.3)
        #expect(try doc.root.number("port") == 8080)
        #expect(try doc.root.boolean("enabled") == true)
        #expect(try doc.root.stringArray("pcms") == ["hw:1,0", "plug:mic", "default"])
        #expect(try doc.tables["audio"]?.integer("frame ms") == 20)
        #expect(try doc.arrays["indicator"]?.map { try $0.string("key") } == ["a", "b"])
        #expect(doc.arrays["indicator"]?[1]["threshold"]?.line == 16)
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, "duplicate key"),
        ("a = \"x", 1, "unterminated string"),
        ("a.b = 1", 1, "dotted keys"),
        ("[t]\n[t]", 2, "defined twice"),
        ("[a.b]", 1, "nested tables"),
        ("x = {a = 1}", 1, "inline tables"),
        ("x = 2024-01-01", 1, "dates are not supported"),
        ("x = yes", 1, "unknown value"),
        ("x = 1 2", 1, "after value"),
        ("x = [1, 2", 1, "unterminated array"),
        ("\n\nx = \"\\q\"", 3, "unknown escape"),
        ("x = 01", 1, "malformed number"),
        ("= 1", 1, "where a key was expected"),
        ("[a]\nx = " + String(repeating: "[", count: 100_000), 2, "nested more than 32 deep"),
    ])
    func errorsNameTheLine(text: String, line: Int, message: String) {
        #expect {
            try TOMLDocument.parse(text, file: "p.toml")
        } throws: { error in
            guard let e = error as? TOMLError else { return false }
            return e.line == line && e.message.contains(message) && e.description.hasPrefix("p.toml:\(line): ")
        }
    }

    @Test func arraysNestedToTheLimitStillParse() throws {
        let doc = try TOMLDocument.parse(
            "x = " + String(repeating: "[", count: 32) + String(repeating: "]", count: 32), file: "n.toml")
        #expect(doc.root.keys == ["x"])
    }

    @Test func typedAccessorsRejectWrongTypesAndUnknownKeys() throws {
        let doc = try TOMLDocument.parse("[t]\nport = \"80\"\ncolector = \"x\"", file: "c.toml")
        let t = try #require(doc.tables["t"])
        #expect(throws: TOMLError(file: "c.toml", line: 2, key: "t.port", message: "expected an integer, found string")) {
            try t.integer("port")
        }
        #expect(throws: TOMLError.self) { try t.rejectUnknownKeys(allowed: ["port", "collector"]) }
        #expect(throws: TOMLError.self) { try t.require("missing", t.string) }
    }
}
