import ClassroomWire
import Foundation
import Hummingbird

extension ConsoleAdmin {
    /// Reads a POST form for a signed-in manager and checks its CSRF token.
    func managerForm(_ request: Request) async throws -> (ConsoleViewer, ConsoleForm) {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorOperations.managers)
        let form = try await ConsoleForm.read(request)
        try ConsoleAuth.verifyCSRF(form, viewer: viewer)
        return (viewer, form)
    }

    func integer(_ form: ConsoleForm, _ field: String, _ label: String) throws -> Int {
        guard let text = form.text(field), let value = Int(text) else {
            throw ConsoleFailure.badRequest("\(label): '\(form[field] ?? "")'")
        }
        return value
    }

    func createEnrollmentToken(_ request: Request) async throws -> Response {
        let (viewer, form) = try await managerForm(request)
        let text = viewer.text
        let school = viewer.role == .schoolAdmin ? viewer.schoolID ?? "" : form.text("school_id") ?? ""
        let made = try await operations.createEnrollmentToken(
            who: viewer.principal, schoolID: school, maxUses: try integer(form, "max_uses", text.t("field_max_uses")),
            expiresInSeconds: Int64(try integer(form, "expires_days", text.t("field_expires_days"))) * 86_400)
        let collector = Self.collectorURL(request)
        let room = viewer.language == .zhCN ? "<教室编号>" : "<ROOM_ID>"
        return try await show(
            request, viewer: viewer,
            created: [
                "label": text.t("admin_enrollment_created"), "secret": made.secret,
                "commandLabel": text.t("admin_enrollment_command"),
                "command": "classroomd enroll --collector \(collector) --token \(made.secret) --room \(room)",
            ])
    }

    /// The collector's URL as the browser reached it (the agent reaches it the same way on the intranet).
    static func collectorURL(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1:8470"
        let scheme = request.headers[.xForwardedProto]?.lowercased() == "https" ? "https" : "http"
        return "\(scheme)://\(host)"
    }

    func createToken(_ request: Request) async throws -> Response {
        let (viewer, form) = try await managerForm(request)
        guard let role = form["role"].flatMap(OperatorRole.init(rawValue:)) else {
            throw ConsoleFailure.badRequest("\(viewer.text.t("field_role")): '\(form["role"] ?? "")'")
        }
        let school = role == .schoolAdmin ? (viewer.role == .schoolAdmin ? viewer.schoolID : form.text("school_id")) : nil
        let made = try await tokenOperations.createToken(
            who: viewer.principal, name: form.text("name") ?? "", role: role, schoolID: school)
        return try await show(
            request, viewer: viewer, created: ["label": viewer.text.t("admin_token_created"), "secret": made.secret])
    }

    func revokeToken(_ request: Request, id: String) async throws -> Response {
        let (viewer, _) = try await managerForm(request)
        // Another school's token does not exist for a school admin.
        guard let token = try await console.store.operatorToken(id: id), viewer.mayAccess(school: token.schoolID) else {
            throw ConsoleFailure.notFound
        }
        try await tokenOperations.revokeToken(who: viewer.principal, id: id)
        return ConsoleHTTP.redirect("/admin?done=revoked#tokens")
    }

    func createUser(_ request: Request) async throws -> Response {
        let (viewer, form) = try await managerForm(request)
        guard let role = form["role"].flatMap(OperatorRole.init(rawValue:)), viewer.role.mayMint(role) else {
            throw ConsoleFailure.forbidden
        }
        let school = role == .schoolAdmin ? (viewer.role == .schoolAdmin ? viewer.schoolID : form.text("school_id")) : nil
        do {
            _ = try await users.create(
                username: form.text("username") ?? "", password: form["password"] ?? "", role: role, schoolID: school,
                actor: viewer.actor)
        } catch let error as ConsoleUserError {
            throw ConsoleFailure.badRequest(error.message)
        }
        return ConsoleHTTP.redirect("/admin?done=user_created#users")
    }

    func disableUser(_ request: Request, id: String) async throws -> Response {
        let (viewer, _) = try await managerForm(request)
        guard let user = try await console.store.consoleUser(id: id), viewer.mayAccess(school: user.schoolID) else {
            throw ConsoleFailure.notFound
        }
        guard viewer.role == .bureauAdmin || user.role == .schoolAdmin else { throw ConsoleFailure.forbidden }
        do {
            try await users.disable(user, actor: viewer.actor)
        } catch let error as ConsoleUserError {
            throw ConsoleFailure.badRequest(error.message)
        }
        return ConsoleHTTP.redirect("/admin?done=user_disabled#users")
    }
}
