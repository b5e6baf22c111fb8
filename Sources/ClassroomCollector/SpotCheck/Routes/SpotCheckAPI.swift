import ClassroomCore
import Foundation
import Hummingbird

/// `/api/v1/spotcheck/…`: the weekly draw, the week's orders and results, the reveal, `now` and
/// excuses; the work is ``SpotCheckQueries``'.
struct SpotCheckAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let dispatcher: SpotCheckDispatcher
    let configuration: SpotCheckConfiguration
    let now: @Sendable () -> Int64

    var auth: Authenticator { Authenticator(store: store, now: now) }
    static var everyone: Set<OperatorRole> { OperatorRole.readers }

    func register(on router: Router<Context>) {
        let api = router.group("api/v1/spotcheck")
        api.post("draws") { request, _ in try await draw(request) }
        api.get("weeks/:week") { request, context in try await week(request, week: context.parameters.require("week")) }
        api.post("weeks/:week/reveal") { request, context in
            try await reveal(request, week: context.parameters.require("week"))
        }
        api.get("weeks/:week/reveal") { request, context in
            try await showReveal(request, week: context.parameters.require("week"))
        }
        api.post("now") { request, _ in try await orderNow(request) }
        api.post("orders/:id/excuse") { request, context in try await excuse(request, id: context.parameters.require("id")) }
        api.get("weeks/:week/results") { request, context in
            try await results(request, week: context.parameters.require("week"))
        }
    }

    /// The reads and actions this API shares with the console.
    var queries: SpotCheckQueries { SpotCheckQueries(store: store, configuration: configuration, now: now) }

    static func parseWeek(_ text: String, field: String) throws -> ISOWeek {
        try SpotCheckQueries.parseWeek(text, field: field)
    }

    func draw(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin])
        let body = try await JSONBody.decode(
            SpotCheckDrawRequest.self, from: request, limit: 16 * 1024, allowedKeys: SpotCheckDrawRequest.fields)
        let week = try Self.parseWeek(body.week, field: "field 'week'")
        let outcome = try await queries.draw(who, week: week, count: body.count ?? 20, beacon: body.beacon ?? "")
        return try JSONBody.response(outcome, status: .created)
    }

    func week(_ request: Request, week text: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        let county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
        return try JSONBody.response(
            try await queries.week(who, week: try Self.parseWeek(text, field: "week"), county: county))
    }

    func results(_ request: Request, week text: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        let county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
        return try JSONBody.response(
            try await queries.results(who, week: try Self.parseWeek(text, field: "week"), county: county))
    }

    func reveal(_ request: Request, week text: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin])
        return Self.revealResponse(try await queries.reveal(who, week: try Self.parseWeek(text, field: "week")))
    }

    func showReveal(_ request: Request, week text: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        return Self.revealResponse(try await queries.publishedReveal(who, week: try Self.parseWeek(text, field: "week")))
    }

    /// The reveal document exactly as stored (the bytes `spotcheck verify --file` reads).
    static func revealResponse(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func excuse(_ request: Request, id: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin])
        let body = try await JSONBody.decode(
            SpotCheckExcuseRequest.self, from: request, limit: 16 * 1024, allowedKeys: SpotCheckExcuseRequest.fields)
        return try JSONBody.response(try await queries.excuse(who, orderID: id, reason: body.reason))
    }
}
