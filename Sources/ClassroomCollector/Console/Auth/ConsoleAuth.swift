import Foundation
import Hummingbird

/// Who is signed in: reads the session cookie, checks the session in the database, and re-reads
/// the user or token behind it (so a disabled user or a revoked token is signed out at once).
public struct ConsoleAuth: Sendable {
    let store: any CollectorStore
    let configuration: ConsoleConfiguration
    let now: @Sendable () -> Int64

    /// The session cookie: a random secret, `HttpOnly`, `SameSite=Strict`, `Secure` under TLS.
    public static let sessionCookie = "cf_session"

    /// Every role, for pages any signed-in viewer may open.
    public static let everyone = OperatorRole.schoolScoped

    /// The signed-in viewer when its role is one of `roles`.
    /// - Throws: ``ConsoleFailure/signIn(next:reason:)`` when not signed in (or the session expired),
    ///   ``ConsoleFailure/forbidden`` when the role is not allowed.
    public func requireViewer(_ request: Request, roles: Set<OperatorRole> = everyone) async throws -> ConsoleViewer {
        guard let viewer = try await viewer(request) else {
            let hadCookie = request.cookies[Self.sessionCookie].map { !$0.value.isEmpty } ?? false
            throw ConsoleFailure.signIn(next: Self.pathAndQuery(request), reason: hadCookie ? "expired" : nil)
        }
        guard roles.contains(viewer.role) else { throw ConsoleFailure.forbidden }
        return viewer
    }

    /// The signed-in viewer, nil when there is no live session.
    public func viewer(_ request: Request) async throws -> ConsoleViewer? {
        guard let secret = request.cookies[Self.sessionCookie]?.value, !secret.isEmpty else { return nil }
        let t = now()
        let hash = Secrets.hash(secret)
        guard
            let session = try await store.consoleSession(
                secretHash: hash, idleSince: t - configuration.sessionIdleSeconds * 1000, now: t,
                touchAfter: configuration.touchIntervalMillis)
        else { return nil }
        guard let principal = try await principal(of: session) else {
            try await store.deleteConsoleSession(secretHash: hash, audit: nil)
            return nil
        }
        return ConsoleViewer(
            principal: principal, csrfToken: session.csrfToken, language: ConsoleLanguage.of(request), method: session.method)
    }

    /// The user or token behind a session, nil when it was disabled, revoked or deleted.
    func principal(of session: ConsoleSessionRecord) async throws -> OperatorPrincipal? {
        switch session.method {
        case .password:
            guard let user = try await store.consoleUser(id: session.subjectID), user.disabledAt == nil else { return nil }
            return OperatorPrincipal(user: user)
        case .token:
            guard let token = try await store.operatorToken(id: session.subjectID), token.isUsable(at: now()) else {
                return nil
            }
            return try await OperatorPrincipal(
                tokenID: token.id, name: token.name, role: token.role, schoolID: token.schoolID, county: token.county
            ).withCountySchools(from: store)
        }
    }

    /// Refuses (403, ``ConsoleFailure/csrf``) a form whose `csrf` field is not the session's token.
    public static func verifyCSRF(_ form: ConsoleForm, viewer: ConsoleViewer) throws {
        guard let sent = form["csrf"], constantTimeEqual(sent, viewer.csrfToken) else { throw ConsoleFailure.csrf }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// The path and query of the request, for `?next=` (always a local path).
    static func pathAndQuery(_ request: Request) -> String {
        let path = request.uri.path
        guard let query = request.uri.query, !query.isEmpty else { return path }
        return path + "?" + query
    }
}

extension ConsoleViewer {
    /// Throws ``ConsoleFailure/notFound`` unless the viewer may see `schoolID` (another school's
    /// page is 404 for a school admin, not 403, so its existence is not disclosed).
    public func requireSchool(_ schoolID: String?) throws {
        guard mayAccess(school: schoolID) else { throw ConsoleFailure.notFound }
    }
}
