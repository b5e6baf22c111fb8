import Hummingbird

/// Why a console request is not answered with its page: thrown by pages and by ``ConsoleAuth``,
/// turned into a redirect or an HTML error page by the console's error middleware.
public enum ConsoleFailure: Error, Sendable {
    /// Not signed in (or the session ended): 303 to `/login?next=PATH`.
    case signIn(next: String, reason: String?)
    /// Signed in, but the role may not do this: 403.
    case forbidden
    /// No such page, or outside the viewer's school: 404 (the same answer, so scope is not disclosed).
    case notFound
    /// A state-changing form without its `csrf` field, or with a wrong one: 403.
    case csrf
    /// A form field is wrong: 400 with a message naming the field (in the viewer's language).
    case badRequest(String)

    var status: HTTPResponse.Status {
        switch self {
        case .signIn: .seeOther
        case .forbidden, .csrf: .forbidden
        case .notFound: .notFound
        case .badRequest: .badRequest
        }
    }
}
