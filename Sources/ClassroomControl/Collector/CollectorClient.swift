import ArgumentParser
import ClassroomCore
import ClassroomWire
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

/// A small JSON-over-HTTP client of the collector's operator API.
struct CollectorClient {
    var base: URL
    var token: String

    /// The answer's status and body; non-2xx answers become a ``CLIError`` with the server's message
    /// unless `accept` lists the status. `timeout`: seconds without data before giving up (default 60).
    func call(
        _ method: String, _ path: String, body: Data? = nil, accept: Set<Int> = [], timeout: Double? = nil
    ) async throws -> (Int, Data) {
        guard let url = URL(string: path, relativeTo: base) else { throw CLIError("bad path \(path)") }
        var request = URLRequest(url: url)
        if let timeout { request.timeoutInterval = timeout }
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("classroomctl/0.1.0 (api v\(APIVersion.current))", forHTTPHeaderField: "User-Agent")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIError("\(base.absoluteString): cannot reach the collector: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if (200..<300).contains(status) || accept.contains(status) { return (status, data) }
        if let error = try? JSONDecoder().decode(APIErrorBody.self, from: data) {
            throw CLIError("\(method) \(path): \(status) \(error.error): \(error.message)")
        }
        throw CLIError("\(method) \(path): HTTP \(status)")
    }

    func json(_ method: String, _ path: String, _ object: [String: Any]? = nil) async throws -> Any {
        let body = try object.map { try JSONSerialization.data(withJSONObject: $0) }
        let (_, data) = try await call(method, path, body: body)
        if data.isEmpty { return [String: Any]() }
        return try JSONSerialization.jsonObject(with: data)
    }
}

/// Prints a JSON value (from `JSONSerialization`) sorted and pretty.
func printJSONObject(_ value: Any) {
    let data =
        (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
        ?? Data("{}".utf8)
    print(String(decoding: data, as: UTF8.self))
}

/// `county=NAME` for the collector's list routes (percent-encoded: county names are Chinese), or
/// nil without `--county`.
func countyQuery(_ county: String?) -> String? {
    guard let county else { return nil }
    var unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    unreserved.insert(charactersIn: "-._~")
    return "county=" + (county.addingPercentEncoding(withAllowedCharacters: unreserved) ?? county)
}
