import CollectorAPI
import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession

/// The operations a generated client sent, as "METHOD /path/{template}" (the document's keys).
final class OperationLog: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<String> = []

    /// `get/api/v1/tokens/{id}` (the generator's operation id without an `operationId`) → `GET /api/v1/tokens/{id}`.
    static func key(operationID: String) -> String {
        guard let slash = operationID.firstIndex(of: "/") else { return operationID }
        return operationID[..<slash].uppercased() + " " + operationID[slash...]
    }

    func insert(_ key: String) { lock.withLock { _ = keys.insert(key) } }
    var all: Set<String> { lock.withLock { keys } }
}

/// Sends the bearer token (none when empty) and logs each operation.
struct LoggingBearer: ClientMiddleware {
    var token: String
    var log: OperationLog

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if !token.isEmpty { request.headerFields[.authorization] = "Bearer \(token)" }
        log.insert(OperationLog.key(operationID: operationID))
        return try await next(request, body, baseURL)
    }
}

extension Client {
    /// A generated client of the collector on `127.0.0.1:port` over URLSession.
    static func loopback(port: Int, token: String, log: OperationLog) -> Client {
        Client(
            serverURL: URL(string: "http://127.0.0.1:\(port)")!, transport: URLSessionTransport(),
            middlewares: [LoggingBearer(token: token, log: log)])
    }
}

/// The case an operation's output took (`ok`, `created`, `forbidden`, … or `undocumented`).
func outputCase(_ output: Any) -> String {
    Mirror(reflecting: output).children.first?.label ?? "\(output)"
}
