import ClassroomCore
import FuzzDriver

/// The strict TOML subset (agent config, target profiles, classroomctl's config) on hostile text.
@main enum FuzzTOML {
    static func main() {
        FuzzDriver.main { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            do throws(TOMLError) {
                let document = try TOMLDocument.parse(text, file: "fuzz.toml")
                for key in document.root.keys { precondition(document.root[key] != nil, "a listed key has a value") }
            } catch {
                precondition(error.line >= 0 && error.file == "fuzz.toml", "errors name the file and a line")
            }
            _ = try? TargetProfile.load(text, file: "fuzz.toml")
        }
    }
}
