import Foundation
import Testing

/// classroomctl talks to the collector only through the client generated from the OpenAPI document
/// (docs/openapi.md): no hand-written JSON trees are left in the module.
@Suite("classroomctl sources: the generated client only")
struct CollectorClientSourceTests {
    static let module = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Sources/ClassroomControl")

    /// `FILE:LINE: text` for every line of the module's Swift files containing one of `needles`.
    static func occurrences(of needles: [String], in directory: URL) throws -> [String] {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var found: [String] = []
        var swiftFiles = 0
        for case let file as URL in files where file.pathExtension == "swift" {
            swiftFiles += 1
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where needles.contains(where: { line.contains($0) }) {
                found.append("\(file.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        if swiftFiles == 0 { throw CocoaError(.fileReadNoSuchFile) }
        return found
    }

    @Test("no JSONSerialization and no [String: Any] in Sources/ClassroomControl")
    func noHandWrittenJSON() throws {
        let found = try Self.occurrences(of: ["JSONSerialization", "[String: Any]"], in: Self.module)
        #expect(found.isEmpty, "use the generated client (CollectorAPI): \(found)")
    }

    @Test("the check finds what it looks for (so it can fail)")
    func checkCanFail() throws {
        let dir = FileManager.default.temporaryDirectory.appending(path: "ctl-source-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "let a = 1\nlet b: [String: Any] = [:]\n".write(to: dir.appending(path: "A.swift"), atomically: true, encoding: .utf8)
        #expect(try Self.occurrences(of: ["[String: Any]"], in: dir) == ["A.swift:2: let b: [String: Any] = [:]"])
        #expect(try Self.occurrences(of: ["[String: Any]"], in: Self.module).isEmpty)
        #expect(try Self.occurrences(of: ["collector.client()"], in: Self.module).count > 5)
    }
}
