import ClassroomCore
import Foundation
import Hummingbird

/// `/api/v1/spotcheck/…`: the weekly draw, the week's orders, the reveal, `now` and excuses.
struct SpotCheckAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let dispatcher: SpotCheckDispatcher
    let configuration: SpotCheckConfiguration
    let now: @Sendable () -> Int64

    var auth: Authenticator { Authenticator(store: store, now: now) }
    static var everyone: Set<OperatorRole> { Set(OperatorRole.allCases) }

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
        SpotCheckResultsAPI<Context>(store: store, configuration: configuration, now: now).register(on: api)
    }

    static func parseWeek(_ text: String, field: String) throws -> ISOWeek {
        guard let week = ISOWeek(parsing: text) else {
            throw APIError.badRequest("\(field) '\(text)' is not an ISO week such as 2026-W48")
        }
        return week
    }

    func draw(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin])
        let body = try await JSONBody.decode(
            SpotCheckDrawRequest.self, from: request, limit: 16 * 1024, allowedKeys: SpotCheckDrawRequest.fields)
        let week = try Self.parseWeek(body.week, field: "field 'week'")
        let count = body.count ?? 20
        guard (1...10_000).contains(count) else { throw APIError.badRequest("field 'count' must be 1…10000") }
        let beacon = body.beacon ?? ""
        guard beacon.utf8.count <= 1024 else { throw APIError.badRequest("field 'beacon' is longer than 1024 bytes") }
        do {
            let outcome = try await SpotCheckDrawer(store: store, configuration: configuration).draw(
                week: week, count: count, beacon: beacon, actor: who.actor, now: now())
            return try JSONBody.response(outcome, status: .created)
        } catch let refusal as SpotCheckDrawer.Refusal {
            throw APIError.conflict("field 'week': \(refusal)")
        }
    }

    func week(_ request: Request, week text: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Self.everyone)
        let week = try Self.parseWeek(text, field: "week")
        let draw = try await store.spotCheckDraw(week: week.description)
        let revealed = draw?.revealedAt != nil
        let orders = try await store.spotCheckOrders(
            week: week.description, schoolID: who.role == .schoolAdmin ? (who.schoolID ?? "") : nil)
        let t = now()
        let visible = orders.filter { revealed || $0.source != "draw" || $0.lessonStart <= t }
        let hidden = orders.count - visible.count
        let view = SpotCheckWeekView(
            week: week.description, drawn: draw != nil, commitment: draw?.commitment, count: draw?.count, revealed: revealed,
            orders: visible.map(SpotCheckOrderView.init), hidden: who.role == .schoolAdmin ? nil : hidden)
        return try JSONBody.response(view)
    }

    func reveal(_ request: Request, week text: String) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin])
        let week = try Self.parseWeek(text, field: "week")
        guard let draw = try await store.spotCheckDraw(week: week.description) else {
            throw APIError.notFound("week \(week) has not been drawn")
        }
        let t = now()
        guard t >= configuration.endOfWeek(week) else {
            throw APIError.conflict("week \(week) is not over; the reveal comes after its last lesson")
        }
        if draw.revealedAt == nil {
            _ = try await store.revealSpotCheck(
                week: week.description, at: t,
                audit: AuditEntry(
                    at: t, actor: who.actor, action: "spotcheck.reveal", target: "spotcheck:\(week)", schoolID: nil,
                    detail: "commitment \(draw.commitment)"))
        }
        return Self.revealResponse(draw.reveal)
    }

    func showReveal(_ request: Request, week text: String) async throws -> Response {
        _ = try await auth.requireOperator(request, roles: Self.everyone)
        let week = try Self.parseWeek(text, field: "week")
        guard let draw = try await store.spotCheckDraw(week: week.description) else {
            throw APIError.notFound("week \(week) has not been drawn")
        }
        guard draw.revealedAt != nil else { throw APIError.notFound("week \(week) has not been revealed yet") }
        return Self.revealResponse(draw.reveal)
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
        try Validate.text(body.reason, field: "reason", max: 500)
        guard let order = try await store.spotCheckOrder(id: id) else { throw APIError.notFound("no spot-check order '\(id)'") }
        let t = now()
        let done = try await store.excuseSpotCheckOrder(
            id: id, reason: body.reason, by: who.actor, at: t,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "spotcheck.excuse", target: "spotcheck_order:\(id)",
                schoolID: order.schoolID, detail: body.reason))
        guard done else { throw APIError.conflict("order '\(id)' is already excused") }
        return try JSONBody.response(SpotCheckOrderView(try await store.spotCheckOrder(id: id) ?? order))
    }
}
