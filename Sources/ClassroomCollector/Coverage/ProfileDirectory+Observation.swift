import ClassroomCore
import Foundation

extension ProfileDirectory {
    /// `observation/NAME.toml` on the search path, parsed; nil when there is none.
    /// - Throws: ``StoreError`` `profile_invalid` naming FILE:LINE: key for a bad file.
    func observation(_ name: String) throws -> ObservationProfile? {
        for dir in searchPath {
            let path = dir + "/observation/" + name + ".toml"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                return try ObservationProfile.load(String(decoding: data, as: UTF8.self), file: path)
            } catch {
                throw StoreError(code: "profile_invalid", message: error.description)
            }
        }
        return nil
    }
}

extension ObservationProfile {
    /// The collector's observation profile: `observation/NAME.toml` in the profiles folder (or the
    /// default search path). With no name, `luxi` when found, else ``ObservationProfile/standard``.
    /// - Throws: when a named profile is missing or any profile found is invalid.
    public static func collector(named name: String?, profilesDirectory: String?) throws -> ObservationProfile {
        let directory = ProfileDirectory(configured: profilesDirectory)
        if let name {
            guard let profile = try directory.observation(name) else {
                throw StoreError(
                    code: "profile_missing",
                    message: "no observation profile '\(name)' (observation/\(name).toml) in "
                        + directory.searchPath.joined(separator: ", "))
            }
            return profile
        }
        return try directory.observation("luxi") ?? .standard
    }
}
