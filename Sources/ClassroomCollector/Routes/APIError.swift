import ClassroomWire
import Foundation
import HTTPTypes
import Hummingbird

/// An error answer of `/api/v1`: a status and an ``ClassroomWire/APIErrorBody``.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var body: APIErrorBody
    /// Extra JSON members beside `error` and `message` (registry problems).
    var problems: [ProblemJSON]?
    var warnings: [ProblemJSON]?
    /// Seconds for a `Retry-After` header (429 answers).
    var retryAfterSeconds: Int64?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.body = APIErrorBody(error: code, message: message)
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "invalid_request", message) }
    static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func conflict(_ message: String) -> APIError { APIError(.conflict, "conflict", message) }
    /// 429 with `Retry-After`.
    static func tooManyRequests(_ message: String, retryAfterSeconds: Int64) -> APIError {
        var error = APIError(.tooManyRequests, "too_many_requests", message)
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }

    struct ProblemJSON: Codable, Sendable {
        var file: String
        var line: Int
        var field: String
        var message: String
    }

    private struct Payload: Encodable {
        var error: String
        var message: String
        var problems: [ProblemJSON]?
        var warnings: [ProblemJSON]?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let payload = Payload(error: body.error, message: body.message, problems: problems, warnings: warnings)
        let data = try JSONEncoder().encode(payload)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into an ``APIError`` answer: framework errors keep their status with our body,
/// anything unexpected is logged and answered 500 without internals.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let code: String
            let message: String
            switch error.status {
            case .contentTooLarge:
                code = "payload_too_large"
                message = "request body of \(request.method) \(request.uri.path) is larger than this route accepts"
            case .notFound:
                code = "not_found"
                message = "no route \(request.method) \(request.uri.path)"
            case .methodNotAllowed:
                code = "method_not_allowed"
                message = "\(request.method) is not allowed on \(request.uri.path)"
            default:
                code = error.status.code < 500 ? "invalid_request" : "internal"
                message = "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)"
            }
            return try APIError(error.status, code, message).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try APIError(.internalServerError, "internal", "internal error; see the collector log")
                .response(from: request, context: context)
        }
    }
}
