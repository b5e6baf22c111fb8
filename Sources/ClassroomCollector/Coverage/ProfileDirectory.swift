import ClassroomCore
import Foundation

/// Finds target profiles for `GET /api/v1/coverage` by NAME only (never a client-supplied path).
///
/// Search order: the configured folder (`serve --profiles-dir`); else `$CLASSROOMFLEET_PROFILES`,
/// `./Deploy/profiles`, and `../share/classroomfleet/profiles` beside the executable (the package layout).
struct ProfileDirectory: Sendable {
    var configured: String?
    var environment: [String: String] = ProcessInfo.processInfo.environment

    var searchPath: [String] {
        if let configured { return [configured] }
        var dirs: [String] = []
        if let d = environment["CLASSROOMFLEET_PROFILES"], !d.isEmpty { dirs.append(d) }
        dirs.append(FileManager.default.currentDirectoryPath + "/Deploy/profiles")
        let executable = URL(filePath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        dirs.append(
            executable.deletingLastPathComponent().deletingLastPathComponent()
                .appending(path: "share/classroomfleet/profiles").path)
        return dirs
    }

    /// The profile, or a 400/404/500 naming what is wrong.
    func load(_ name: String) throws -> TargetProfile {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard !name.isEmpty, name.count <= 100, allowed else {
            throw APIError.badRequest("query 'profile': '\(name)' is not a profile name (letters, digits, '-', '_')")
        }
        for dir in searchPath {
            let path = dir + "/" + name + ".toml"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            guard let text = String(data: data, encoding: .utf8) else {
                throw APIError(.internalServerError, "profile_invalid", "\(path): not UTF-8 text")
            }
            do {
                return try TargetProfile.load(text, file: path)
            } catch {
                throw APIError(.internalServerError, "profile_invalid", error.description)
            }
        }
        throw APIError.notFound("query 'profile': no profile '\(name)' on this collector (\(available.joined(separator: ", ")))")
    }

    /// Profile names found on the search path.
    var available: [String] {
        var names: Set<String> = []
        for dir in searchPath {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".toml") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }
}
