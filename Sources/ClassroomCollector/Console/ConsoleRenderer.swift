import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders console pages: a body (a template, or HTML made elsewhere such as an SVG chart) inside
/// the layout — header with the county, role-aware navigation, language switch, sign-out form.
///
/// - Important: `{{name}}` escapes HTML; use `{{{name}}}` only for HTML this code made itself.
///   Every template gets `t` (the viewer's label table), `csrf` and `lang` besides its own values.
public struct ConsoleRenderer: Sendable {
    let resources: Result<ConsoleResources, ConsoleResourceError>
    let store: any CollectorStore

    public init(store: any CollectorStore, resources: Result<ConsoleResources, ConsoleResourceError>) {
        self.store = store
        self.resources = resources
    }

    /// A full page: `bodyTemplate` rendered with `values`, inside the layout.
    public func page(
        _ request: Request, viewer: ConsoleViewer?, title: String, section: ConsoleSection?, bodyTemplate: String,
        values: [String: Any] = [:], flash: ConsoleFlash? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = viewer?.language ?? ConsoleLanguage.of(request)
        let body = try render(bodyTemplate, values: values, viewer: viewer, language: language)
        return try await page(
            request, viewer: viewer, title: title, section: section, bodyHTML: body, flash: flash, status: status)
    }

    /// A full page around `bodyHTML`, which must already be safe HTML.
    public func page(
        _ request: Request, viewer: ConsoleViewer?, title: String, section: ConsoleSection?, bodyHTML: String,
        flash: ConsoleFlash? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = viewer?.language ?? ConsoleLanguage.of(request)
        let text = language.text
        var values: [String: Any] = [
            "title": title, "body": bodyHTML, "languageHref": Self.languageHref(request, to: language.other),
            "county": try await countyLabel(text) as Any, "bodyClass": section.map { "section-\($0.rawValue)" } ?? "bare",
        ]
        if let flash { values["flash"] = ["kind": flash.kind.rawValue, "message": flash.message] }
        if let viewer {
            values["viewer"] = [
                "name": viewer.displayName, "roleLabel": text.role(viewer.role), "school": viewer.schoolID as Any,
                "csrf": viewer.csrfToken,
                "nav": ConsoleSection.allCases.filter { $0.roles.contains(viewer.role) }.map {
                    ["href": $0.path, "label": text.t($0.labelKey), "active": $0 == section] as [String: Any]
                },
            ]
        }
        let html = try render("layout", values: values, viewer: viewer, language: language)
        var response = Self.html(html, status: status)
        if let asked = ConsoleLanguage.requested(request) { response.setCookie(Self.languageCookie(asked)) }
        return response
    }

    /// Renders one template (no layout) with the common values added.
    public func render(_ template: String, values: [String: Any], viewer: ConsoleViewer?, language: ConsoleLanguage) throws
        -> String
    {
        let library = try resources.get().library
        var all = Self.prune(values)
        all["t"] = language.text.table
        all["lang"] = language.htmlLang
        if let viewer { all["csrf"] = viewer.csrfToken }
        guard let html = library.render(all, withTemplate: template) else {
            throw ConsoleResourceError("no console template '\(template)'")
        }
        return html
    }

    /// `values` without nil optionals (Mustache would print "nil"), in nested dictionaries and arrays too.
    static func prune(_ values: [String: Any]) -> [String: Any] {
        values.compactMapValues(pruned)
    }

    static func pruned(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return pruned(wrapped)
        }
        if let dictionary = value as? [String: Any] { return prune(dictionary) }
        if let array = value as? [Any] { return array.compactMap(pruned) }
        return value
    }

    /// `text/html` with the console's headers: no caching of signed-in pages, no framing, and a
    /// content security policy that allows only this collector's own files.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The county (or counties) of the registry, for the header; nil before an import.
    func countyLabel(_ text: ConsoleText) async throws -> String? {
        let names = try await store.countyNames(limit: 3)
        guard !names.isEmpty else { return nil }
        return names.prefix(2).joined(separator: text.language == .zhCN ? "、" : ", ") + (names.count > 2 ? " …" : "")
    }

    /// The current page in the other language (`?lang=` replaced).
    static func languageHref(_ request: Request, to language: ConsoleLanguage) -> String {
        var items = (URLComponents(string: ConsoleAuth.pathAndQuery(request))?.queryItems ?? []).filter { $0.name != "lang" }
        items.append(URLQueryItem(name: "lang", value: language.rawValue))
        var components = URLComponents()
        components.path = request.uri.path
        components.queryItems = items
        return components.string ?? "?lang=\(language.rawValue)"
    }

    static func languageCookie(_ language: ConsoleLanguage) -> Cookie {
        Cookie(
            name: ConsoleLanguage.cookieName, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", httpOnly: true,
            sameSite: .lax)
    }
}

/// A one-line message shown above a page's body (after a form was handled).
public struct ConsoleFlash: Sendable {
    public enum Kind: String, Sendable { case ok, error, warn }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

extension ConsoleLanguage {
    /// The language the switch in the header offers.
    var other: ConsoleLanguage { self == .zhCN ? .en : .zhCN }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
