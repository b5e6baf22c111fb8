import ClassroomCore
import Foundation
import Hummingbird

/// `GET /api/v1/observation?week=W[&term_start=YYYY-MM-DD][&county=NAME]`: the observation quotas (听课) of a week
/// and the term's school coverage (``ObservationQueries``).
struct ObservationAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let configuration: CollectorConfiguration
    let now: @Sendable () -> Int64

    var queries: ObservationQueries {
        ObservationQueries(
            store: store, quotas: configuration.observation.quotas, zone: configuration.spotcheck.zone, now: now)
    }

    func register(on router: Router<Context>) {
        router.get("api/v1/observation") { request, _ in
            let who = try await Authenticator(store: store, now: now).requireOperator(request, roles: ObservationQueries.roles)
            let (week, term) = try Self.period(request, zone: configuration.spotcheck.zone, now: now())
            let county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
            return try JSONBody.response(try await queries.report(who, week: week, termStart: term, county: county))
        }
    }

    /// `week` (default: this week) and `term_start` of the query, 400 naming a bad one.
    static func period(_ request: Request, zone: CountyTimeZone, now: Int64) throws -> (ISOWeek, LocalDate?) {
        let query = request.uri.queryParameters
        let week =
            try query["week"].map { try SpotCheckQueries.parseWeek(String($0), field: "query 'week'") }
            ?? ISOWeek(containing: zone.localTime(of: Date(timeIntervalSince1970: Double(now) / 1000)).date)
        var term: LocalDate?
        if let text = query["term_start"] {
            guard let date = LocalDate(parsing: text) else {
                throw APIError.badRequest("query 'term_start' '\(text)' is not a date YYYY-MM-DD")
            }
            term = date
        }
        return (week, term)
    }
}
