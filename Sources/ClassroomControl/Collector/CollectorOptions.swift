import ArgumentParser
import ClassroomCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `--collector URL` and `--token T` (or `CLASSROOM_COLLECTOR` / `CLASSROOM_TOKEN`, or the config
/// file `$XDG_CONFIG_HOME/classroomfleet/classroomctl.toml` with `collector = "…"`, `token = "…"`).
struct CollectorOptions: ParsableArguments {
    @Option(help: "The collector's base URL, such as https://collector.example:8470.")
    var collector: String?

    @Option(help: "An operator token (cfo_…); prefer CLASSROOM_TOKEN or the config file over the command line.")
    var token: String?

    func client() throws -> CollectorClient {
        let env = ProcessInfo.processInfo.environment
        let config = try Self.configFile(env)
        guard let base = collector ?? env["CLASSROOM_COLLECTOR"] ?? config.collector, let url = URL(string: base),
            url.scheme == "http" || url.scheme == "https"
        else { throw CLIError("no collector: pass --collector URL (http:// or https://) or set CLASSROOM_COLLECTOR") }
        guard let secret = token ?? env["CLASSROOM_TOKEN"] ?? config.token, !secret.isEmpty else {
            throw CLIError("no token: pass --token, set CLASSROOM_TOKEN, or put token = \"…\" in the config file")
        }
        return CollectorClient(base: url, token: secret)
    }

    static func configFile(_ env: [String: String]) throws -> (collector: String?, token: String?) {
        let home = env["XDG_CONFIG_HOME"] ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        let path = home + "/classroomfleet/classroomctl.toml"
        guard let data = FileManager.default.contents(atPath: path) else { return (nil, nil) }
        do {
            let document = try TOMLDocument.parse(String(decoding: data, as: UTF8.self), file: path)
            return (try document.root.string("collector"), try document.root.string("token"))
        } catch {
            throw CLIError("\(error)")
        }
    }
}
