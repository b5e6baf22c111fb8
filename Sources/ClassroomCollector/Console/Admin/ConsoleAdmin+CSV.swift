import ClassroomReports
import Foundation
import Hummingbird

extension ConsoleAdmin {
    /// The day in file names.
    func today() -> String { String(Self.time(console.now()).prefix(10)) }

    func tokensCSV(_ request: Request) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorOperations.managers)
        let text = viewer.text
        let rows = try await tokenOperations.tokens(who: viewer.principal).map { t in
            [
                t.id, t.name, text.role(t.role), t.schoolID ?? "", Self.time(t.createdAt), t.createdBy ?? "",
                text.t(t.revokedAt == nil ? "status_active" : "status_revoked"),
            ]
        }
        let header = ["col_id", "col_name", "col_role", "col_school", "col_created", "col_created_by", "col_status"].map(text.t)
        return ConsoleCSV.response(CSVTable(header: header, rows: rows), filename: "tokens-\(today()).csv")
    }

    func usersCSV(_ request: Request) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorOperations.managers)
        let text = viewer.text
        let rows = try await visibleUsers(viewer).map { u in
            [
                u.username, text.role(u.role), u.schoolID ?? "", Self.time(u.createdAt), u.createdBy,
                text.t(u.disabledAt == nil ? "status_enabled" : "status_disabled"),
            ]
        }
        let header = ["col_username", "col_role", "col_school", "col_created", "col_created_by", "col_status"].map(text.t)
        return ConsoleCSV.response(CSVTable(header: header, rows: rows), filename: "users-\(today()).csv")
    }

    /// The filtered audit log, all pages (at most 100,000 entries).
    func auditCSV(_ request: Request) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: Self.roles)
        let text = viewer.text
        let entries = try await tokenOperations.auditEntries(who: viewer.principal, filter: auditFilter(request), limit: 100_000)
        let rows = entries.map { [Self.time($0.at), $0.actor, $0.action, $0.target, $0.schoolID ?? "", $0.detail] }
        let header = ["col_time", "col_actor", "col_action", "col_audit_target", "col_school", "col_audit_detail"].map(text.t)
        return ConsoleCSV.response(CSVTable(header: header, rows: rows), filename: "audit-\(today()).csv")
    }
}
