import ClassroomCore
import Hummingbird

/// `GET /api/v1/spotcheck/weeks/{week}/notice`: the weekly notice (通报) as JSON
/// (``ClassroomReports/SpotCheckNotice``), which `classroomctl spotcheck notice` renders.
struct SpotCheckNoticeAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let configuration: CollectorConfiguration
    let now: @Sendable () -> Int64

    func register(on router: Router<Context>) {
        router.get("api/v1/spotcheck/weeks/:week/notice") { request, context in
            let who = try await Authenticator(store: store, now: now).requireOperator(
                request, roles: OperatorRole.readers)
            let week = try SpotCheckQueries.parseWeek(try context.parameters.require("week"), field: "week")
            let county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
            let queries = SpotCheckQueries(store: store, configuration: configuration.spotcheck, now: now)
            return try JSONBody.response(
                try await queries.notice(who, week: week, rubric: configuration.observation.rubric, county: county))
        }
    }
}
