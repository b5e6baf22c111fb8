import ClassroomWire
import CollectorAPI
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Adds the operator token and classroomctl's user agent to every request, and turns a non-2xx answer
/// (unless `accept` lists its status) into a ``CLIError`` that names the request and carries the
/// collector's `APIError` body: `PUT /api/v1/registry: 403 forbidden: role school_admin may not use this route`.
struct CollectorErrorMiddleware: ClientMiddleware {
    var token: String
    var accept: Set<Int>

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        request.headerFields[.userAgent] = "classroomctl/0.1.0 (api v\(APIVersion.current))"
        let (response, responseBody) = try await next(request, body, baseURL)
        let status = response.status.code
        if (200..<300).contains(status) || accept.contains(status) { return (response, responseBody) }
        let what = "\(request.method.rawValue) \(request.path ?? "")"
        let bytes: Data
        if let responseBody {
            bytes = try await Data(collecting: responseBody, upTo: 1 << 20)
        } else {
            bytes = Data()
        }
        if let error = try? JSONDecoder().decode(Components.Schemas.APIError.self, from: bytes) {
            throw CLIError("\(what): \(status) \(error.error): \(error.message)")
        }
        throw CLIError("\(what): HTTP \(status)")
    }
}

/// Ends a call at its 2xx answer with the body's bytes (``CollectorClient/rawBody(timeout:limit:_:)``):
/// thrown as ``Body`` past the generated decoding, which is never reached. Other answers pass through
/// to ``CollectorErrorMiddleware``.
struct RawBodyMiddleware: ClientMiddleware {
    struct Body: Error { var bytes: Data }
    var limit: Int

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard (200..<300).contains(response.status.code) else { return (response, responseBody) }
        guard let responseBody else { throw Body(bytes: Data()) }
        throw Body(bytes: try await Data(collecting: responseBody, upTo: limit))
    }
}
