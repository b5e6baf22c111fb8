import Foundation

/// The OpenAPI document of the collector (`openapi.yaml` of this target, the one copy in the repository),
/// read at run time from the target's resource folder; the collector serves it at `/api/v1/openapi.yaml`.
///
/// Search order: `$CLASSROOMFLEET_OPENAPI` (the file), then `ClassroomFleet_CollectorAPI.resources/openapi.yaml`
/// beside the running executable (where SwiftPM copies the resource, for `swift run`, `swift test` and a
/// copied build folder), then `../share/classroomfleet/openapi/collector-v1.yaml` beside it (the package layout).
///
/// - Important: Foundation's generated `Bundle.module` is not used, as for the console (see
///   `ClassroomCollector/Console/README.md`): on Linux it stops the process when the bundle is missing,
///   and a collector without the file must still serve the API and say clearly what is missing.
public enum OpenAPIDocument {
    /// The document's text, or the error naming the places searched; read once per process.
    public static let shared: Result<String, OpenAPIDocumentError> = Result { try load() }
        .mapError { $0 as? OpenAPIDocumentError ?? OpenAPIDocumentError(description: "\($0)") }

    /// Reads the first file of ``searchPath(environment:)`` that exists.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let candidates = searchPath(environment: environment)
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw OpenAPIDocumentError(
                description: "OpenAPI document not found in: \(candidates.joined(separator: ", "))")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw OpenAPIDocumentError(description: "\(path): unreadable or not UTF-8")
        }
        return text
    }

    /// The files tried, in order.
    public static func searchPath(environment: [String: String]) -> [String] {
        var files: [String] = []
        if let file = environment["CLASSROOMFLEET_OPENAPI"], !file.isEmpty { files.append(file) }
        let exe = URL(
            filePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        ).resolvingSymlinksInPath().deletingLastPathComponent()
        files.append(exe.appending(path: "ClassroomFleet_CollectorAPI.resources/openapi.yaml").path)
        files.append(exe.deletingLastPathComponent().appending(path: "share/classroomfleet/openapi/collector-v1.yaml").path)
        return files
    }
}

/// The document could not be found or read.
public struct OpenAPIDocumentError: Error, CustomStringConvertible {
    public var description: String
}
