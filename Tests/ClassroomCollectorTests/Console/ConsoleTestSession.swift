import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// A console session in router tests: signs in with an operator token through `/login` (its CSRF
/// cookie and field), then sends the session cookie with every request.
struct ConsoleTestSession: Sendable {
    var cookie: String
    /// The session's CSRF token, read from a signed-in page's sign-out form.
    var csrf: String

    static func signIn(_ client: some TestClientProtocol, token: String) async throws -> ConsoleTestSession {
        let form = try await client.execute(uri: "/login", method: .get)
        let login = try #require(cookieValue(form.headers, "cf_login"))
        let page = String(buffer: form.body)
        let csrf = try #require(field(page, "csrf"))
        let answer = try await client.execute(
            uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "cf_login=\(login)"],
            body: ByteBuffer(string: encode(["csrf": csrf, "token": token, "next": "/"])))
        let session = try #require(cookieValue(answer.headers, "cf_session"), "sign-in refused: \(answer.status)")
        let home = try await client.execute(uri: "/schools", method: .get, headers: [.cookie: "cf_session=\(session)"])
        return ConsoleTestSession(cookie: "cf_session=\(session)", csrf: try #require(field(String(buffer: home.body), "csrf")))
    }

    func get(_ client: some TestClientProtocol, _ path: String) async throws -> Answer {
        let r = try await client.execute(uri: path, method: .get, headers: [.cookie: cookie])
        return Answer(status: r.status, body: Data(buffer: r.body), headers: r.headers)
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ fields: [String: String]) async throws -> Answer {
        let r = try await client.execute(
            uri: path, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: Self.encode(fields)))
        return Answer(status: r.status, body: Data(buffer: r.body), headers: r.headers)
    }

    static func cookieValue(_ headers: HTTPFields, _ name: String) -> String? {
        for value in headers[values: .setCookie] where value.hasPrefix(name + "=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// The value of the first `<input name="NAME" value="…">` of a page.
    static func field(_ html: String, _ name: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
