import Hummingbird

/// `GET /api/v1/alerts?state=open|closed|all&school=ID&county=NAME`: device-health alerts, newest first.
struct AlertsAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let now: @Sendable () -> Int64

    func register(on router: Router<Context>) {
        router.get("api/v1/alerts") { request, _ in
            let who = try await Authenticator(store: store, now: now).requireOperator(request, roles: AlertQueries.roles)
            let query = request.uri.queryParameters
            let state = try AlertQueries.state(query["state"].map(String.init))
            let school = query["school"].map(String.init)
            let county = try OperatorPrincipal.countyQuery(query["county"])
            let alerts = try await AlertQueries(store: store).list(who, state: state, school: school, county: county)
            return try JSONBody.response(AlertList(state: state, alerts: alerts))
        }
    }
}
