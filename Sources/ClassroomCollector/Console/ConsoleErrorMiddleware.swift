import Foundation
import Hummingbird

/// Turns what console pages throw into what a browser should get: a redirect to the sign-in page,
/// or an HTML error page in the viewer's language (never the API's JSON).
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext
    let auth: ConsoleAuth
    let renderer: ConsoleRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let failure as ConsoleFailure {
            if case .signIn(let path, let reason) = failure {
                var components = URLComponents()
                components.path = "/login"
                components.queryItems =
                    [URLQueryItem(name: "next", value: path)] + (reason.map { [URLQueryItem(name: "reason", value: $0)] } ?? [])
                return ConsoleHTTP.redirect(components.string ?? "/login")
            }
            return try await errorPage(request, failure: failure)
        } catch let error as APIError {
            // A shared /api/v1 operation refused: its status, its message.
            return try await errorPage(request, status: error.status, message: error.body.message)
        } catch let error as ConsoleResourceError {
            context.logger.error("console resources", metadata: ["error": "\(error)"])
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "console unavailable: \(error)\n")))
        } catch let error as any HTTPResponseError {
            return try await errorPage(request, status: error.status, message: nil)
        } catch {
            context.logger.error("console page failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try await errorPage(request, status: .internalServerError, message: nil)
        }
    }

    func errorPage(_ request: Request, failure: ConsoleFailure) async throws -> Response {
        switch failure {
        case .forbidden: try await errorPage(request, status: .forbidden, keys: ("error_forbidden_title", "error_forbidden"))
        case .csrf: try await errorPage(request, status: .forbidden, keys: ("error_csrf_title", "error_csrf"))
        case .notFound: try await errorPage(request, status: .notFound, keys: ("error_not_found_title", "error_not_found"))
        case .badRequest(let message):
            try await errorPage(request, status: .badRequest, keys: ("error_bad_request_title", ""), message: message)
        case .signIn: ConsoleHTTP.redirect("/login")
        }
    }

    func errorPage(_ request: Request, status: HTTPResponse.Status, message: String?) async throws -> Response {
        let keys: (String, String) =
            switch status {
            case .notFound: ("error_not_found_title", "error_not_found")
            case .forbidden: ("error_forbidden_title", "error_forbidden")
            case .badRequest, .conflict, .contentTooLarge: ("error_bad_request_title", "")
            default: ("error_internal_title", "error_internal")
            }
        return try await errorPage(request, status: status, keys: keys, message: message)
    }

    /// The error page: `keys` are the labels of its heading and of its message (used when `message` is nil).
    func errorPage(_ request: Request, status: HTTPResponse.Status, keys: (String, String), message: String? = nil)
        async throws -> Response
    {
        let viewer = try? await auth.viewer(request)
        let text = (viewer?.language ?? ConsoleLanguage.of(request)).text
        let title = text.t(keys.0)
        let body = try renderer.render(
            "error", values: ["heading": title, "message": message ?? text.t(keys.1)], viewer: viewer,
            language: text.language)
        return try await renderer.page(request, viewer: viewer, title: title, section: nil, bodyHTML: body, status: status)
    }
}
