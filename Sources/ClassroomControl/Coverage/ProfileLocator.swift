import ClassroomCore
import Foundation

/// Finds and loads a target profile by name or path.
///
/// A NAME resolves to `NAME.toml` in, in order: `--profiles-dir`, `$CLASSROOMFLEET_PROFILES`,
/// `./Deploy/profiles`, and `../share/classroomfleet/profiles` beside the executable. A value with
/// a `/` or ending in `.toml` is a path.
struct ProfileLocator {
    var profilesDirectory: String?
    var environment: [String: String] = ProcessInfo.processInfo.environment
    var executable: URL = URL(filePath: CommandLine.arguments[0]).resolvingSymlinksInPath()

    var searchPath: [String] {
        var dirs: [String] = []
        if let d = profilesDirectory { dirs.append(d) }
        if let d = environment["CLASSROOMFLEET_PROFILES"], !d.isEmpty { dirs.append(d) }
        dirs.append(FileManager.default.currentDirectoryPath + "/Deploy/profiles")
        dirs.append(
            executable.deletingLastPathComponent().deletingLastPathComponent()
                .appending(path: "share/classroomfleet/profiles").path)
        return dirs
    }

    /// The profile's file, or an error listing where it was looked for.
    func locate(_ name: String) throws -> String {
        if name.contains("/") || name.hasSuffix(".toml") {
            guard FileManager.default.fileExists(atPath: name) else { throw CLIError("\(name): no such profile file") }
            return name
        }
        for dir in searchPath {
            let path = dir + "/" + name + ".toml"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw CLIError(
            "profile '\(name)' not found; looked in: " + searchPath.joined(separator: ", ")
                + " (use --profiles-dir DIR or a path to a .toml file)")
    }

    func load(_ name: String) throws -> TargetProfile {
        let path = try locate(name)
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read") }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(path): not UTF-8 text") }
        do {
            return try TargetProfile.load(text, file: path)
        } catch {
            throw CLIError(error.description)
        }
    }
}
