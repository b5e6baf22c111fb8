import Foundation
import Hummingbird

/// `/admin`: enrollment tokens, operator tokens, users and the audit log, through the same
/// operations as `/api/v1` (``OperatorOperations``, ``OperatorTokenOperations``) and the `user`
/// command (``ConsoleUsers``).
/// Bureau admins see everything; school admins their school's part; auditors the audit log.
struct ConsoleAdmin: Sendable {
    let console: ConsoleEnvironment
    var operations: OperatorOperations { OperatorOperations(store: console.store, now: console.now) }
    var tokenOperations: OperatorTokenOperations { OperatorTokenOperations(store: console.store, now: console.now) }
    var users: ConsoleUsers {
        ConsoleUsers(store: console.store, now: console.now, cost: console.configuration.console.bcryptCost)
    }
    static let roles: Set<OperatorRole> = [.bureauAdmin, .schoolAdmin, .auditor]
    static let pageSize = 50

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("admin") { request, _ in try await show(request) }
        router.post("admin/enrollment-tokens") { request, _ in try await createEnrollmentToken(request) }
        router.post("admin/tokens") { request, _ in try await createToken(request) }
        router.post("admin/tokens/:id/revoke") { request, context in
            try await revokeToken(request, id: context.parameters.require("id"))
        }
        router.post("admin/users") { request, _ in try await createUser(request) }
        router.post("admin/users/:id/disable") { request, context in
            try await disableUser(request, id: context.parameters.require("id"))
        }
        router.get("admin/tokens.csv") { request, _ in try await tokensCSV(request) }
        router.get("admin/users.csv") { request, _ in try await usersCSV(request) }
        router.get("admin/audit.csv") { request, _ in try await auditCSV(request) }
    }

    // MARK: The page

    /// The page, with `created` (a secret shown once) or a flash after a form.
    func show(
        _ request: Request, viewer given: ConsoleViewer? = nil, created: [String: Any]? = nil, flash: ConsoleFlash? = nil
    ) async throws -> Response {
        let viewer: ConsoleViewer
        if let given { viewer = given } else { viewer = try await console.auth.requireViewer(request, roles: Self.roles) }
        let text = viewer.text
        var values: [String: Any] = ["created": created as Any]
        let manager = OperatorOperations.managers.contains(viewer.role)
        if manager {
            values["manager"] = true
            values["fixedSchool"] = viewer.schoolID as Any
            values["tokens"] = try await tokenOperations.tokens(who: viewer.principal).map { tokenRow($0, text) }
            values["users"] = try await visibleUsers(viewer).map { userRow($0, text) }
            values["roleOptions"] = OperatorRole.allCases.filter { viewer.role.mayMint($0) && $0 != .countyAdmin }.map {
                ["value": $0.rawValue, "label": text.role($0)]
            }
        }
        let filter = auditFilter(request)
        let page = max(1, Int(request.uri.queryParameters.get("page") ?? "1") ?? 1)
        let entries = try await tokenOperations.auditEntries(
            who: viewer.principal, filter: filter, limit: Self.pageSize + 1, offset: (page - 1) * Self.pageSize)
        values["audit"] = entries.prefix(Self.pageSize).map { auditRow($0) }
        values["auditEmpty"] = entries.isEmpty
        values["filterActor"] = filter.actor as Any
        values["filterAction"] = filter.action as Any
        values["filterSchool"] = viewer.role == .schoolAdmin ? nil : filter.schoolID as Any
        values["auditCSV"] = "/admin/audit.csv" + filterQuery(filter, page: nil)
        values["pageLabel"] = text.t("page_of", String(page))
        if page > 1 { values["previousPage"] = "/admin" + filterQuery(filter, page: page - 1) + "#audit" }
        if entries.count > Self.pageSize { values["nextPage"] = "/admin" + filterQuery(filter, page: page + 1) + "#audit" }
        var notice = flash
        switch request.uri.queryParameters.get("done") {
        case "revoked": notice = ConsoleFlash(.ok, text.t("admin_token_revoked"))
        case "user_created": notice = ConsoleFlash(.ok, text.t("admin_user_created"))
        case "user_disabled": notice = ConsoleFlash(.ok, text.t("admin_user_disabled"))
        default: break
        }
        return try await console.renderer.page(
            request, viewer: viewer, title: text.t("admin_title"), section: .admin, bodyTemplate: "admin", values: values,
            flash: notice, status: created == nil ? .ok : .created)
    }

    func visibleUsers(_ viewer: ConsoleViewer) async throws -> [ConsoleUserRecord] {
        try await console.store.consoleUsers(schoolID: viewer.role == .schoolAdmin ? viewer.schoolID : nil)
    }

    static func time(_ millis: Int64?) -> String {
        guard let millis else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    func tokenRow(_ t: OperatorTokenRecord, _ text: ConsoleText) -> [String: Any] {
        [
            "id": t.id, "shortID": String(t.id.prefix(8)), "name": t.name, "role": text.role(t.role),
            "school": t.schoolID ?? text.t("admin_all_schools"), "created": Self.time(t.createdAt),
            "createdBy": t.createdBy ?? "", "revoked": t.revokedAt != nil,
            "status": text.t(t.revokedAt == nil ? "status_active" : "status_revoked"),
        ]
    }

    func userRow(_ u: ConsoleUserRecord, _ text: ConsoleText) -> [String: Any] {
        [
            "id": u.id, "username": u.username, "role": text.role(u.role), "school": u.schoolID ?? text.t("admin_all_schools"),
            "created": Self.time(u.createdAt), "createdBy": u.createdBy, "disabled": u.disabledAt != nil,
            "status": text.t(u.disabledAt == nil ? "status_enabled" : "status_disabled"),
        ]
    }

    func auditRow(_ e: AuditEntry) -> [String: Any] {
        [
            "time": Self.time(e.at), "actor": e.actor, "action": e.action, "target": e.target, "school": e.schoolID ?? "",
            "detail": e.detail,
        ]
    }

    func auditFilter(_ request: Request) -> AuditFilter {
        func value(_ name: String) -> String? {
            request.uri.queryParameters.get(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap {
                $0.isEmpty ? nil : $0
            }
        }
        return AuditFilter(actor: value("actor"), action: value("action"), schoolID: value("school"))
    }

    func filterQuery(_ filter: AuditFilter, page: Int?) -> String {
        var items: [URLQueryItem] = []
        if let a = filter.actor { items.append(URLQueryItem(name: "actor", value: a)) }
        if let a = filter.action { items.append(URLQueryItem(name: "action", value: a)) }
        if let s = filter.schoolID { items.append(URLQueryItem(name: "school", value: s)) }
        if let page { items.append(URLQueryItem(name: "page", value: String(page))) }
        guard !items.isEmpty else { return "" }
        var components = URLComponents()
        components.queryItems = items
        return components.string ?? ""
    }
}
