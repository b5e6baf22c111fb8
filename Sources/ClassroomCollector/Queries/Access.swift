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
        if role == .countyAdmin, let asked, !mayAccess(school: asked) {
            throw APIError.forbidden("school '\(asked)' is not in your county")
        }
        guard role == .schoolAdmin else { return asked }
        guard asked == nil || asked == schoolID else { throw APIError.forbidden("school '\(asked ?? "")' is not yours") }
        return schoolID ?? ""
    }

    /// The schools this operator's role limits it to: a school admin's own, a county admin's county's,
    /// nil (every school) for the other roles.
    var roleSchools: Set<String>? {
        switch role {
        case .schoolAdmin: [schoolID ?? ""]
        case .countyAdmin: countySchools ?? []
        default: nil
        }
    }

    /// The schools a listing shows, nil for every school: the role's scope (``roleSchools``), narrowed
    /// to the school asked for (403 when outside the scope) and to the county asked for (`county=`;
    /// 404 naming the registry's counties when unknown, 403 for a county admin asking another county).
    ///
    /// - Important: every list route of `/api/v1` and the console goes through this one helper.
    func listScope(school asked: String?, county: String?, store: any RegistryRepository) async throws -> Set<String>? {
        var scope = roleSchools
        if let asked {
            guard mayAccess(school: asked) else {
                throw APIError.forbidden("school '\(asked)' is not \(role == .countyAdmin ? "in your county" : "yours")")
            }
            scope = [asked]
        }
        if let county {
            _ = try countyScope(asked: county)
            let registry = try await store.registry()
            let ids = registry.schoolIDs(inCounty: county)
            guard !ids.isEmpty else {
                throw APIError.notFound(
                    "query 'county': no school in county '\(county)' (counties: \(registry.counties.joined(separator: ", ")))")
            }
            scope = scope.map { $0.intersection(ids) } ?? ids
        }
        return scope
    }

    /// The `county=` query parameter of a list route: nil when absent, 400 when empty or longer than
    /// 100 characters (the registry's county names are checked by ``listScope(school:county:store:)``).
    static func countyQuery(_ text: Substring?) throws -> String? {
        guard let text else { return nil }
        guard (1...100).contains(text.count) else {
            throw APIError.badRequest("query 'county': expected a county name of 1–100 characters")
        }
        return String(text)
    }

    /// Resolves a county admin's scope (``countySchools``) from the imported registry; other roles
    /// are returned as they are. A county with no school in the registry scopes to no school.
    func withCountySchools(from store: any RegistryRepository) async throws -> OperatorPrincipal {
        guard role == .countyAdmin else { return self }
        var scoped = self
        if let county, !county.isEmpty {
            scoped.countySchools = try await store.registry().schoolIDs(inCounty: county)
        } else {
            scoped.countySchools = []
        }
        return scoped
    }

    /// Whether answers show how many drawn orders are still hidden: only to the roles that see every
    /// school (a school or county admin would learn whether its schools were drawn).
    var seesHiddenOrders: Bool { roleSchools == nil }

    /// The county a query is limited to: a county admin's own county (asking for another is 403),
    /// otherwise the one asked for, or nil for every county of the registry.
    func countyScope(asked: String?) throws -> String? {
        guard role == .countyAdmin else { return asked }
        guard let county, !county.isEmpty else { throw APIError.forbidden("this county_admin token is bound to no county") }
        guard asked == nil || asked == county else { throw APIError.forbidden("county '\(asked ?? "")' is not yours") }
        return county
    }

    /// Nil for county-wide roles (and county admins, whose lists are filtered by ``roleSchools``), the
    /// school of a school admin (listing filters).
    var ownSchool: String? { role == .schoolAdmin ? (schoolID ?? "") : nil }

    /// Roles that may watch a called lesson (live or recorded), evaluate it (评课) and open a patrol
    /// view (巡课): the bureau's admins and observers (教研员) county-wide, a school admin (the
    /// principal) in its own school. Bureau viewers, auditors and county admins read figures, never
    /// video (a county admin reads its county's evaluations and patrol view log, not the streams).
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
