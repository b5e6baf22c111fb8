import Foundation
import Testing

/// ARCHITECTURE §3: the agent uses LinuxHardware only through the protocols of `Usage/Signals.swift`;
/// the spot-check code must not reach around them.
@Suite struct SpotCheckImportTests {
    static let folder = URL(filePath: #filePath).deletingLastPathComponent().appending(
        path: "../../../Sources/ClassroomAgent/SpotCheck"
    )
    .standardized

    @Test func theSpotCheckFolderImportsNoLinuxHardware() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 8, "the spot-check sources are where this test looks: \(Self.folder.path)")
        for file in files {
            let text = try String(contentsOf: Self.folder.appending(path: file), encoding: .utf8)
            let imports = text.split(separator: "\n").filter { line in
                let words = line.split(separator: " ")
                return words.contains("import")
                    && words.last.map { $0 == "LinuxHardware" || $0.hasPrefix("CALSA") || $0 == "CUdev" } == true
            }
            #expect(imports.isEmpty, "\(file) imports \(imports)")
        }
    }
}
