import Foundation
import Testing

/// The demo and simulation code stays out of what `classroomd` links (issue 19, item 6): read from
/// Package.swift and the sources, so a dependency or a file moved back fails here, not in a benchmark.
@Suite struct AgentFootprintTests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// The targets in `classroomd`'s build graph.
    static let agentTargets = [
        "classroomd", "ClassroomAgent", "LinuxHardware", "ClassroomWire", "ClassroomCore", "SystemdNotify",
    ]

    /// The text of one target's declaration in Package.swift, up to the next target.
    static func declaration(of target: String, in manifest: String) -> Substring? {
        guard let name = manifest.range(of: "name: \"\(target)\"") else { return nil }
        let rest = manifest[name.upperBound...]
        let next = [".target(", ".executableTarget(", ".testTarget(", ".systemLibrary("]
            .compactMap { rest.range(of: $0)?.lowerBound }.min()
        return rest[..<(next ?? rest.endIndex)]
    }

    @Test func noAgentTargetDependsOnTheSamples() throws {
        // Comments may name the samples (Package.swift's does); only the declarations count.
        let manifest = try String(contentsOf: Self.repository.appending(path: "Package.swift"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: "\n")
        #expect(Self.declaration(of: "ClassroomSamples", in: manifest) != nil)
        for target in Self.agentTargets {
            let declaration = try #require(Self.declaration(of: target, in: manifest), "\(target) not in Package.swift")
            #expect(!declaration.contains("ClassroomSamples"), "\(target) depends on ClassroomSamples")
        }
    }

    /// The operator API's generated code (docs/openapi.md) stays out of the agent, which speaks ClassroomWire.
    @Test func noAgentTargetDependsOnTheGeneratedAPI() throws {
        let manifest = try String(contentsOf: Self.repository.appending(path: "Package.swift"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: "\n")
        // Only the target declarations (the package list names swift-openapi-*, products name classroomd).
        let targets = String(
            manifest[try #require(manifest.range(of: "targets: [\n"), "no targets in Package.swift").upperBound...])
        #expect(Self.declaration(of: "CollectorAPI", in: targets)?.contains("OpenAPIGenerator") == true)
        for target in Self.agentTargets {
            let declaration = try #require(Self.declaration(of: target, in: targets), "\(target) not in Package.swift")
            for module in ["CollectorAPI", "swift-openapi"] {
                #expect(!declaration.contains(module), "\(target) depends on \(module)")
            }
        }
    }

    /// Every Swift file of the agent's targets with its text; more than 50, or the walk went wrong.
    static func agentSources() throws -> [(path: String, text: String)] {
        let sources = repository.appending(path: "Sources")
        var out: [(path: String, text: String)] = []
        for target in agentTargets {
            let files = FileManager.default.enumerator(at: sources.appending(path: target), includingPropertiesForKeys: nil)
            while let file = files?.nextObject() as? URL {
                guard file.pathExtension == "swift" else { continue }
                out.append((file.path, try String(contentsOf: file, encoding: .utf8)))
            }
        }
        #expect(out.count > 50)
        return out
    }

    @Test func agentSourcesNeitherImportNorHoldTheSamples() throws {
        for (path, text) in try Self.agentSources() {
            #expect(!text.contains("import ClassroomSamples"), "\(path) imports ClassroomSamples")
            for type in ["struct SampleCounty", "struct SampleEvidence", "struct SpotCheckSimulation"] {
                #expect(!text.contains(type), "\(path) declares \(type)")
            }
        }
    }

    /// Foundation as a whole brings ICU's data into whatever links it (`classroomd` went from 56 to 104 MB,
    /// and 5.8 MB more resident, when one ClassroomCore file imported it): the agent's targets import
    /// FoundationEssentials, and Foundation only where that is missing (`#if canImport(FoundationEssentials)`).
    @Test func agentSourcesImportFoundationEssentialsNotFoundation() throws {
        for (path, text) in try Self.agentSources() {
            var insideFallback = false
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("#if canImport(FoundationEssentials)") { insideFallback = false }
                if code == "#else" { insideFallback = true }
                if code == "#endif" { insideFallback = false }
                for module in ["Foundation", "FoundationInternationalization"]
                where code == "import \(module)" || code == "@preconcurrency import \(module)" {
                    #expect(insideFallback, "\(path):\(n + 1) imports \(module) outside the FoundationEssentials fallback")
                }
            }
        }
    }
}
