import CollectorAPI
import Foundation
import OpenAPIRuntime
import OpenAPIURLSession

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The collector's operator API through the client generated from `Sources/CollectorAPI/openapi.yaml`
/// (URLSession transport), with classroomctl's bearer token, user agent and error messages.
struct CollectorClient {
    var base: URL
    var token: String

    /// The generated client. A non-2xx answer throws a ``CLIError`` carrying the collector's
    /// `error: message` (see ``CollectorErrorMiddleware``) unless `accept` lists its status, in which
    /// case the generated output's case for it is returned. `timeout`: seconds without data (default 60).
    func api(accept: Set<Int> = [], timeout: Double? = nil) -> Client {
        let configuration = URLSessionConfiguration.default
        configuration.timeoutIntervalForRequest = timeout ?? 60
        let session = URLSession(configuration: configuration)
        return Client(
            serverURL: base, configuration: Configuration(dateTranscoder: .iso8601),
            transport: URLSessionTransport(configuration: .init(session: session)),
            middlewares: [CollectorErrorMiddleware(token: token, accept: accept)])
    }

    /// Runs one generated call and turns the generated client's wrapped errors back into what the user
    /// reads: the collector's own error (``CLIError``), or `BASE: cannot reach the collector: …`.
    func run<T>(
        accept: Set<Int> = [], timeout: Double? = nil, _ call: (Client) async throws -> T
    ) async throws -> T {
        do {
            return try await call(api(accept: accept, timeout: timeout))
        } catch let error as ClientError {
            if let cli = error.underlyingError as? CLIError { throw cli }
            if error.response == nil {
                throw CLIError(
                    "\(base.absoluteString): cannot reach the collector: \(error.underlyingError.localizedDescription)")
            }
            let what = error.request.map { "\($0.method.rawValue) \($0.path ?? "")" } ?? error.operationID
            throw CLIError("\(what): the collector's answer does not match the API: \(error.underlyingError)")
        }
    }
}

/// A generated value as JSON bytes (keys sorted, indented, slashes unescaped): for `--json` output and
/// for the report types of ClassroomReports and ClassroomCore that render the collector's documents.
func jsonBytes(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// Decodes a generated value's JSON into one of classroomctl's report types (the collector's documents
/// such as the coverage report, the notice and the observation quotas are rendered by shared code).
func reencode<T: Decodable>(_ value: some Encodable, as type: T.Type) throws -> T {
    try JSONDecoder().decode(T.self, from: try jsonBytes(value))
}
