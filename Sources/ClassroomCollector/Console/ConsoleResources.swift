import Foundation
import Mustache

/// The console's templates (`templates/NAME.mustache`) and stylesheet (`static/console.css`), read
/// once from the resource folder of the ClassroomCollector target.
///
/// Search order: `$CLASSROOMFLEET_CONSOLE` (a folder holding `templates/` and `static/`), then
/// `ClassroomFleet_ClassroomCollector.resources/Resources` beside the running executable (where
/// SwiftPM puts the target's resources, for `swift run`, `swift test` and a copied build folder),
/// then `../share/classroomfleet/console` beside the executable (the package layout).
///
/// - Important: Foundation's generated `Bundle.module` is not used: on Linux it stops the process
///   with `fatalError` when the bundle is missing, and a collector without its console must still
///   serve `/api/v1` and say clearly what is missing.
public struct ConsoleResources: Sendable {
    public let library: MustacheLibrary
    public let stylesheet: String
    /// The folder the files were read from.
    public let directory: String

    /// Reads and parses every template; the error names the folders searched or the bad template.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConsoleResources {
        let candidates = searchPath(environment: environment)
        guard
            let directory = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/templates/layout.mustache") })
        else {
            throw ConsoleResourceError(
                "console templates not found (templates/layout.mustache) in: \(candidates.joined(separator: ", "))")
        }
        var library = MustacheLibrary()
        let templates = directory + "/templates"
        for file in try FileManager.default.contentsOfDirectory(atPath: templates).sorted() where file.hasSuffix(".mustache") {
            let path = templates + "/" + file
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw ConsoleResourceError("\(path): unreadable or not UTF-8")
            }
            do {
                try library.register(text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw ConsoleResourceError("\(path): \(error)")
            }
        }
        guard let css = FileManager.default.contents(atPath: directory + "/static/console.css") else {
            throw ConsoleResourceError("\(directory)/static/console.css is missing")
        }
        return ConsoleResources(library: library, stylesheet: String(decoding: css, as: UTF8.self), directory: directory)
    }

    static func searchPath(environment: [String: String]) -> [String] {
        var dirs: [String] = []
        if let d = environment["CLASSROOMFLEET_CONSOLE"], !d.isEmpty { dirs.append(d) }
        let exe = URL(
            filePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        ).resolvingSymlinksInPath().deletingLastPathComponent()
        dirs.append(exe.appending(path: "ClassroomFleet_ClassroomCollector.resources/Resources").path)
        dirs.append(exe.deletingLastPathComponent().appending(path: "share/classroomfleet/console").path)
        return dirs
    }

    /// Loaded once per process; the failure is kept and shown on every console page.
    public static let shared: Result<ConsoleResources, ConsoleResourceError> = {
        do { return .success(try load()) } catch let error as ConsoleResourceError { return .failure(error) } catch {
            return .failure(ConsoleResourceError("\(error)"))
        }
    }()
}

/// The console's files could not be found or parsed.
public struct ConsoleResourceError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
