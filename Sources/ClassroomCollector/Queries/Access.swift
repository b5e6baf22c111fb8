import Hummingbird

/// Authorization shared by `/api/v1` and the console: a route authenticates (bearer token or console
/// session) into an ``OperatorPrincipal``; the query functions of this folder decide what it may see.
extension OperatorPrincipal {
    /// 403 unless the role is one of `roles`.
    func require(_ roles: Set<OperatorRole>) throws {
        guard roles.contains(role) else { throw APIError.forbidden("role \(role.rawValue) may not use this route") }
    }

    /// The school a query is limited to: a school admin's own school (asking for another is 403),
    /// otherwise the one asked for, or nil for the whole county.
    func schoolScope(asked: String?) throws -> String? {
        guard role == .schoolAdmin else { return asked }
        guard asked == nil || asked == schoolID else { throw APIError.forbidden("school '\(asked ?? "")' is not yours") }
        return schoolID ?? ""
    }

    /// The county a query is limited to: a county admin's own county (asking for another is 403),
    /// otherwise the one asked for, or nil for every county of the registry.
    func countyScope(asked: String?) throws -> String? {
        guard role == .countyAdmin else { return asked }
        guard let county, !county.isEmpty else { throw APIError.forbidden("this county_admin token is bound to no county") }
        guard asked == nil || asked == county else { throw APIError.forbidden("county '\(asked ?? "")' is not yours") }
        return county
    }

    /// Nil for county-wide roles, the school of a school admin (listing filters).
    var ownSchool: String? { role == .schoolAdmin ? (schoolID ?? "") : nil }

    /// Roles that may watch a called lesson (live or recorded), evaluate it (评课) and open a patrol
    /// view (巡课): the bureau's admins and observers (教研员) county-wide, a school admin (the
    /// principal) in its own school. Bureau viewers and auditors read figures, never video.
    static let lessonWatchers: Set<OperatorRole> = [.bureauAdmin, .observer, .schoolAdmin]

    /// Whether this operator may watch, record a view of, or evaluate a lesson given in `schoolID`.
    func mayWatchLesson(inSchool schoolID: String) -> Bool {
        Self.lessonWatchers.contains(role) && mayAccess(school: schoolID)
    }
}

extension APIError {
    /// Whether the error means "outside your scope" (403 in the API; the console answers 404 so as
    /// not to confirm that another school's page exists).
    var isOutOfScope: Bool { status == .forbidden }
}
