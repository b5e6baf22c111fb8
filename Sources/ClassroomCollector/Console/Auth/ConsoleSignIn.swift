import Foundation
import Hummingbird
import HummingbirdBcrypt

/// `/login` and `/logout`: a session from a username and password (bcrypt) or an operator token;
/// an address with too many failures is locked for a while.
struct ConsoleSignIn: Sendable {
    let console: ConsoleEnvironment
    var configuration: ConsoleConfiguration { console.configuration.console }

    /// The cookie carrying the sign-in form's CSRF token before there is a session (double submit).
    static let loginCookie = "cf_login"

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("login") { request, context in try await showForm(request, context: context) }
        router.post("login") { request, context in try await signIn(request, context: context) }
        router.post("logout") { request, context in try await signOut(request, context: context) }
    }

    // MARK: Pages

    func showForm(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let next = ConsoleHTTP.localPath(request.uri.queryParameters.get("next"))
        if try await console.auth.viewer(request) != nil { return ConsoleHTTP.redirect(next) }
        let text = ConsoleLanguage.of(request).text
        var notice: ConsoleFlash?
        switch request.uri.queryParameters.get("reason") {
        case "expired": notice = ConsoleFlash(.warn, text.t("login_expired"))
        case "signed_out": notice = ConsoleFlash(.ok, text.t("login_signed_out"))
        default: if request.uri.queryParameters.get("next") != nil { notice = ConsoleFlash(.warn, text.t("login_required")) }
        }
        let client = ConsoleClient(request, context: context, configuration: configuration)
        let locked = try await lockedMinutes(client.address)
        return try await form(
            request, client: client, next: next, username: "", error: locked.map { text.t("login_locked", String($0)) },
            notice: notice, status: .ok)
    }

    func form(
        _ request: Request, client: ConsoleClient, next: String, username: String, error: String?, notice: ConsoleFlash?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let text = ConsoleLanguage.of(request).text
        let csrf = Secrets.make(prefix: "")
        let locked = try await lockedMinutes(client.address) != nil
        var response = try await console.renderer.page(
            request, viewer: nil, title: text.t("login_title"), section: nil, bodyTemplate: "login",
            values: ["loginCSRF": csrf, "next": next, "username": username, "error": error as Any, "locked": locked],
            flash: notice, status: status)
        response.setCookie(cookie(Self.loginCookie, csrf, client: client, path: "/login"))
        return response
    }

    // MARK: Sign-in

    func signIn(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let submitted = try await ConsoleForm.read(request)
        guard let sent = submitted["csrf"], let expected = request.cookies[Self.loginCookie]?.value,
            ConsoleAuth.constantTimeEqual(sent, expected)
        else { throw ConsoleFailure.csrf }
        let client = ConsoleClient(request, context: context, configuration: configuration)
        let text = ConsoleLanguage.of(request).text
        let next = ConsoleHTTP.localPath(submitted["next"])
        let username = submitted.text("username") ?? ""
        if let minutes = try await lockedMinutes(client.address) {
            return try await form(
                request, client: client, next: next, username: username, error: text.t("login_locked", String(minutes)),
                notice: nil, status: .tooManyRequests)
        }
        let found: (OperatorPrincipal, ConsoleSignInMethod)?
        if let token = submitted.text("token") {
            found = try await principal(token: token).map { ($0, .token) }
        } else {
            found = try await principal(username: username, password: submitted["password"] ?? "").map { ($0, .password) }
        }
        guard let (principal, method) = found else {
            return try await failed(
                request, client: client, next: next, username: username, token: submitted.text("token") != nil)
        }
        try await console.store.clearSignInFailures(address: client.address)
        let secret = Secrets.make(prefix: "cfs_")
        let t = console.now()
        try await console.store.insertConsoleSession(
            ConsoleSessionRecord(
                secretHash: Secrets.hash(secret), method: method, subjectID: principal.id, csrfToken: Secrets.make(prefix: ""),
                createdAt: t, lastSeenAt: t, address: client.address))
        try await console.store.appendAudit(
            AuditEntry(
                at: t, actor: principal.actor, action: "console.sign_in", target: principal.actor, schoolID: principal.schoolID,
                detail: "\(method.rawValue) from \(client.address)"))
        var response = ConsoleHTTP.redirect(next)
        response.setCookie(cookie(ConsoleAuth.sessionCookie, secret, client: client, path: "/"))
        response.setCookie(cookie(Self.loginCookie, "", client: client, path: "/login", maxAge: 0))
        return response
    }

    func principal(token: String) async throws -> OperatorPrincipal? {
        guard token.hasPrefix("cfo_"), let record = try await console.store.operatorToken(secretHash: Secrets.hash(token)),
            record.isUsable(at: console.now())
        else { return nil }
        return OperatorPrincipal(
            tokenID: record.id, name: record.name, role: record.role, schoolID: record.schoolID, county: record.county)
    }

    func principal(username: String, password: String) async throws -> OperatorPrincipal? {
        let user = username.isEmpty ? nil : try await console.store.consoleUser(username: username)
        // Verify even without a user, so the answer takes as long whether the name exists or not.
        let hash = user?.passwordHash ?? Self.unknownUserHash
        guard Bcrypt.verify(password, hash: hash), let user, user.disabledAt == nil else { return nil }
        return OperatorPrincipal(user: user)
    }

    /// A bcrypt hash of a random password nobody knows, checked when the username is unknown.
    static let unknownUserHash = Bcrypt.hash(Secrets.make(prefix: ""), cost: 12)

    func failed(_ request: Request, client: ConsoleClient, next: String, username: String, token: Bool) async throws
        -> Response
    {
        let t = console.now()
        let count = try await console.store.recordSignInFailure(
            address: client.address, at: t, since: t - configuration.lockoutSeconds * 1000, lockAt: configuration.lockoutFailures,
            lockAudit: AuditEntry(
                at: t, actor: "address:\(client.address)", action: "console.lockout", target: "address:\(client.address)",
                schoolID: nil,
                detail: "\(configuration.lockoutFailures) failed sign-ins within \(configuration.lockoutSeconds / 60) min"))
        let text = ConsoleLanguage.of(request).text
        let error: String
        if count >= configuration.lockoutFailures, let minutes = try await lockedMinutes(client.address) {
            error = text.t("login_locked", String(minutes))
        } else {
            error = text.t(token ? "login_token_failed" : "login_failed")
        }
        return try await form(
            request, client: client, next: next, username: username, error: error, notice: nil, status: .unauthorized)
    }

    /// Minutes until `address` may try again, nil when it is not locked.
    func lockedMinutes(_ address: String) async throws -> Int? {
        let t = console.now()
        let window = configuration.lockoutSeconds * 1000
        let failures = try await console.store.signInFailures(address: address, since: t - window)
        guard failures.count >= configuration.lockoutFailures else { return nil }
        // Unlocked when the oldest failure that still makes the count ages out of the window.
        let unlockAt = failures[failures.count - configuration.lockoutFailures] + window
        return max(1, Int((unlockAt - t + 59_999) / 60_000))
    }

    // MARK: Sign-out

    func signOut(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request)
        try ConsoleAuth.verifyCSRF(try await ConsoleForm.read(request), viewer: viewer)
        let client = ConsoleClient(request, context: context, configuration: configuration)
        if let secret = request.cookies[ConsoleAuth.sessionCookie]?.value {
            try await console.store.deleteConsoleSession(
                secretHash: Secrets.hash(secret),
                audit: AuditEntry(
                    at: console.now(), actor: viewer.actor, action: "console.sign_out", target: viewer.actor,
                    schoolID: viewer.schoolID, detail: "from \(client.address)"))
        }
        var response = ConsoleHTTP.redirect("/login?reason=signed_out")
        response.setCookie(cookie(ConsoleAuth.sessionCookie, "", client: client, path: "/", maxAge: 0))
        return response
    }

    /// `HttpOnly`, `SameSite=Strict`, `Secure` when the browser came over TLS.
    func cookie(_ name: String, _ value: String, client: ConsoleClient, path: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: client.secure, httpOnly: true, sameSite: .strict)
    }
}
