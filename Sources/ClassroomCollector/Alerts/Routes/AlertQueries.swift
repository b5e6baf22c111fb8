import ClassroomCore

/// What an operator may see of the alerts: every role reads them, a school admin its own school's
/// only (asking for another school is 403).
struct AlertQueries: Sendable {
    let store: any CollectorStore

    static var roles: Set<OperatorRole> { OperatorRole.schoolScoped }

    /// The alerts in `state` of `school` (nil: every school `who` may see), newest first.
    func list(_ who: OperatorPrincipal, state: AlertStateFilter, school: String?, limit: Int = 1000) async throws
        -> [AlertRecord]
    {
        try who.require(Self.roles)
        return try await store.alerts(AlertQuery(state: state, schoolID: try who.schoolScope(asked: school), limit: limit))
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
