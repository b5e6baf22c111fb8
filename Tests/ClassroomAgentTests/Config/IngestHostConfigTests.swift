import ClassroomAgent
import ClassroomCore
import Foundation
import Testing

/// `ingest_host` (the spot-check RTMP host pin) and the example config shipped in `Deploy/examples/`.
@Suite struct IngestHostConfigTests {
    static let example = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/examples/classroomd.toml")

    @Test func theExampleConfigParsesToTheDefaults() throws {
        let config = try AgentConfig.load(path: Self.example.path, environment: [:])
        #expect(config == AgentConfig())
        let pinned = try AgentConfig.parse(
            try String(contentsOf: Self.example, encoding: .utf8).replacingOccurrences(
                of: "# ingest_host = ", with: "ingest_host = "), file: "example")
        #expect(pinned.ingestHost == "media.county.example")
    }

    @Test func aPinIsAHostName() throws {
        #expect(try AgentConfig.parse("", file: "c.toml").ingestHost == nil)
        #expect(try AgentConfig.parse("ingest_host = \"10.0.0.5\"", file: "c.toml").ingestHost == "10.0.0.5")
        for bad in ["\"\"", "\"rtmp://x/live\"", "\"a b\"", "\"u@h\"", "5"] {
            #expect(throws: TOMLError.self) { try AgentConfig.parse("ingest_host = \(bad)", file: "c.toml") }
            do {
                _ = try AgentConfig.parse("ingest_host = \(bad)", file: "c.toml")
            } catch {
                #expect(error.description.hasPrefix("c.toml:1: ingest_host:"), "\(error.description)")
            }
        }
    }
}
