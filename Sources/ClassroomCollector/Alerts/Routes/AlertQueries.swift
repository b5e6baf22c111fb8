import ClassroomCore

/// What an operator may see of the alerts: every role reads them, a school admin its own school's
/// only, a county admin its county's (asking for another school is 403).
struct AlertQueries: Sendable {
    let store: any CollectorStore

    static var roles: Set<OperatorRole> { OperatorRole.readers }

    /// The alerts in `state` of `school` and `county` (nil: every school `who` may see), newest first.
    func list(
        _ who: OperatorPrincipal, state: AlertStateFilter, school: String?, county: String? = nil, limit: Int = 1000
    ) async throws -> [AlertRecord] {
        try who.require(Self.roles)
        var query = AlertQuery(state: state, limit: limit)
        if let scope = try await who.listScope(school: school, county: county, store: store) {
            if scope.count == 1 { query.schoolID = scope.first } else { query.schoolIDs = scope.sorted() }
        }
        return try await store.alerts(query)
    }

    /// `state` of a query: open (default), closed or all; 400 naming the value otherwise.
    static func state(_ text: String?) throws -> AlertStateFilter {
        guard let text else { return .open }
        guard let state = AlertStateFilter(rawValue: text) else {
            throw APIError.badRequest("query 'state' must be open, closed or all, not '\(text)'")
        }
        return state
    }
}

/// The body of `GET /api/v1/alerts`.
struct AlertList: Codable, Sendable {
    var state: AlertStateFilter
    var alerts: [AlertRecord]
}
