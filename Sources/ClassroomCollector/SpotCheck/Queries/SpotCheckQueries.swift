import ClassroomCore
import Foundation

/// The spot-check reads and actions of `/api/v1/spotcheck/…`, as functions of the operator, shared
/// with the console's spot-check page (one copy of the authorization and the queries).
struct SpotCheckQueries: Sendable {
    let store: any CollectorStore
    let configuration: SpotCheckConfiguration
    let now: @Sendable () -> Int64

    static func parseWeek(_ text: String, field: String) throws -> ISOWeek {
        guard let week = ISOWeek(parsing: text) else {
            throw APIError.badRequest("\(field) '\(text)' is not an ISO week such as 2026-W48")
        }
        return week
    }

    /// The week's commitment and the orders `who` may see (see ``results(_:week:)`` for visibility).
    func week(_ who: OperatorPrincipal, week: ISOWeek, county: String? = nil) async throws -> SpotCheckWeekView {
        try who.require(OperatorRole.readers)
        let draw = try await store.spotCheckDrawSummary(week: week.description)
        let revealed = draw?.revealedAt != nil
        let orders = try await spotCheckOrders(who, week: week, county: county)
        let t = now()
        let visible = orders.filter { revealed || $0.source != "draw" || $0.lessonStart <= t }
        let off = draw == nil ? try await store.termCalendar()?.noSchool(in: week) : nil
        return SpotCheckWeekView(
            week: week.description, drawn: draw != nil, commitment: draw?.commitment, count: draw?.count, revealed: revealed,
            orders: visible.map(SpotCheckOrderView.init), hidden: who.seesHiddenOrders ? orders.count - visible.count : nil,
            noSchool: off.map(SpotCheckWeekView.NoSchool.init))
    }

    /// The week's spot-check orders of the schools `who` may list, narrowed to `county` (patrols and
    /// self-tests are no spot-checks: neither listed nor counted as hidden).
    func spotCheckOrders(_ who: OperatorPrincipal, week: ISOWeek, county: String?) async throws -> [SpotCheckOrderRecord] {
        let scope = try await who.listScope(school: nil, county: county, store: store)
        return try await store.spotCheckOrders(week: week.description, schoolID: who.ownSchool).filter {
            $0.isSpotCheck && (scope?.contains($0.schoolID) ?? true)
        }
    }

    /// Draws the week (bureau admins); a 409 names why a draw is refused.
    func draw(_ who: OperatorPrincipal, week: ISOWeek, count: Int, beacon: String) async throws -> SpotCheckDrawer.Outcome {
        try who.require([.bureauAdmin])
        guard (1...10_000).contains(count) else { throw APIError.badRequest("field 'count' must be 1…10000") }
        guard beacon.utf8.count <= 1024 else { throw APIError.badRequest("field 'beacon' is longer than 1024 bytes") }
        do {
            return try await SpotCheckDrawer(store: store, configuration: configuration).draw(
                week: week, count: count, beacon: beacon, actor: who.actor, now: now())
        } catch SpotCheckDrawer.Refusal.noSchoolDay(let off) {
            throw APIError(.unprocessableContent, "no_school_day", "field 'week': week \(off)")
        } catch let refusal as SpotCheckDrawer.Refusal {
            throw APIError.conflict("field 'week': \(refusal)")
        }
    }

    /// Publishes the reveal of a week that is over (bureau admins, audited once) and returns it as stored.
    func reveal(_ who: OperatorPrincipal, week: ISOWeek) async throws -> String {
        try who.require([.bureauAdmin])
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
        return draw.reveal
    }

    /// The published reveal of a week (every role); 404 before it is published.
    func publishedReveal(_ who: OperatorPrincipal, week: ISOWeek) async throws -> String {
        try who.require(OperatorRole.readers)
        guard let draw = try await store.spotCheckDraw(week: week.description) else {
            throw APIError.notFound("week \(week) has not been drawn")
        }
        guard draw.revealedAt != nil else { throw APIError.notFound("week \(week) has not been revealed yet") }
        return draw.reveal
    }

    /// Excuses an order with a reason (bureau admins, audited).
    func excuse(_ who: OperatorPrincipal, orderID id: String, reason: String) async throws -> SpotCheckOrderView {
        try who.require([.bureauAdmin])
        try Validate.text(reason, field: "reason", max: 500)
        guard let order = try await store.spotCheckOrder(id: id) else { throw APIError.notFound("no spot-check order '\(id)'") }
        let t = now()
        let done = try await store.excuseSpotCheckOrder(
            id: id, reason: reason, by: who.actor, at: t,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "spotcheck.excuse", target: "spotcheck_order:\(id)",
                schoolID: order.schoolID, detail: reason))
        guard done else { throw APIError.conflict("order '\(id)' is already excused") }
        return SpotCheckOrderView(try await store.spotCheckOrder(id: id) ?? order)
    }
}
