import ClassroomCore
import ClassroomReports
import Foundation
import Hummingbird

/// `/spotchecks?week=W`: the week's commitment, the orders as their lessons start, results with
/// reasons, history by week; draw, reveal and excuse for bureau admins (the functions of
/// `/api/v1/spotcheck/…`), and the verification of a published reveal (``RevealCheck``, the code of
/// `classroomctl spotcheck verify`).
struct SpotChecksPage: Sendable {
    let console: ConsoleEnvironment

    static let historyWeeks = 8

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("spotchecks") { request, _ in try await show(request) }
        router.post("spotchecks/draw") { request, _ in try await post(request, action: .draw) }
        router.post("spotchecks/reveal") { request, _ in try await post(request, action: .reveal) }
        router.post("spotchecks/excuse") { request, _ in try await post(request, action: .excuse) }
        router.post("spotchecks/verify") { request, _ in try await post(request, action: .verify) }
    }

    enum Action { case draw, reveal, excuse, verify }

    func week(_ text: String?) throws -> ISOWeek {
        guard let text, !text.isEmpty else { return console.currentWeek }
        guard let week = ISOWeek(parsing: text) else {
            throw ConsoleFailure.badRequest("week '\(text)': not an ISO week such as 2026-W48")
        }
        return week
    }

    func show(
        _ request: Request, week asked: String? = nil, flash: ConsoleFlash? = nil,
        verification: SpotChecksModel.Verification? = nil
    ) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorRole.readers)
        let t = viewer.text
        let week = try self.week(asked ?? request.uri.queryParameters["week"].map(String.init))
        let view = try await console.page { try await console.spotchecks.week(viewer.principal, week: week) }
        let results = try await console.page { try await console.spotchecks.results(viewer.principal, week: week) }
        let registry = try await console.store.registry()
        let schools = Dictionary(registry.schools.map { ($0.id, $0.name) }) { a, _ in a }
        let rooms = Dictionary(registry.rooms.map { ($0.id, $0.name) }) { a, _ in a }
        var model = SpotChecksModel(view: view, results: results, text: t, schools: schools, rooms: rooms, console: console)
        model.isBureauAdmin = viewer.role == .bureauAdmin
        model.mayWatch = OperatorPrincipal.lessonWatchers.contains(viewer.role)
        model.weekOver = console.now() >= console.configuration.spotcheck.endOfWeek(week)
        model.csvHref = "/spotchecks?week=\(week)&format=csv"
        model.previousHref = "/spotchecks?week=\(week.previous)"
        model.nextHref = "/spotchecks?week=\(week.next)"
        model.verification = verification
        if ConsoleCSV.wanted(request) {
            var table = CSVTable(header: SpotChecksModel.csvHeader(t))
            table.rows = model.rows.map(\.csv)
            return ConsoleCSV.response(table, filename: "spotchecks-\(week).csv")
        }
        for w in (1...Self.historyWeeks).map({ week.adding(weeks: -$0) }) {
            let r = try await console.spotchecks.results(viewer.principal, week: w)
            let d = try await console.store.spotCheckDrawSummary(week: w.description)
            model.history.append(.init(week: w.description, drawn: d != nil, results: r, text: t))
        }
        return try await console.renderer.page(
            request, viewer: viewer, title: t.t("nav_spotchecks"), section: .spotchecks, bodyTemplate: "spotchecks",
            values: ["page": model], flash: flash)
    }

    func post(_ request: Request, action: Action) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorRole.readers)
        let form = try await ConsoleForm.read(request, limit: 4 * 1024 * 1024)
        try ConsoleAuth.verifyCSRF(form, viewer: viewer)
        let t = viewer.text
        let weekText = form.text("week")
        if action == .verify {
            return try await show(request, week: weekText, verification: Self.verify(form, text: t))
        }
        guard viewer.role == .bureauAdmin else { throw ConsoleFailure.forbidden }
        let week = try self.week(weekText)
        do {
            switch action {
            case .draw:
                let count =
                    try form.text("count").map {
                        guard let n = Int($0) else { throw ConsoleFailure.badRequest("count '\($0)': not a whole number") }
                        return n
                    } ?? 20
                let outcome = try await console.page {
                    try await console.spotchecks.draw(viewer.principal, week: week, count: count, beacon: form["beacon"] ?? "")
                }
                return try await show(
                    request, week: week.description,
                    flash: ConsoleFlash(.ok, t.t("spot_drawn", String(outcome.orders), outcome.commitment)))
            case .reveal:
                _ = try await console.page { try await console.spotchecks.reveal(viewer.principal, week: week) }
                return try await show(request, week: week.description, flash: ConsoleFlash(.ok, t.t("spot_revealed")))
            case .excuse:
                guard let order = form.text("order") else { throw ConsoleFailure.badRequest("field 'order' is required") }
                _ = try await console.page {
                    try await console.spotchecks.excuse(viewer.principal, orderID: order, reason: form["reason"] ?? "")
                }
                return try await show(request, week: week.description, flash: ConsoleFlash(.ok, t.t("spot_excused")))
            case .verify:
                throw ConsoleFailure.notFound
            }
        } catch let error as APIError where error.status == .conflict {
            return try await show(request, week: week.description, flash: ConsoleFlash(.error, error.body.message))
        } catch ConsoleFailure.badRequest(let message) {
            return try await show(request, week: week.description, flash: ConsoleFlash(.error, message))
        }
    }

    /// Checks the pasted reveal with ``RevealCheck`` (and the commitment when given).
    static func verify(_ form: ConsoleForm, text t: ConsoleText) -> SpotChecksModel.Verification {
        guard let json = form.text("reveal") else { return .init(ok: false, message: t.t("spot_verify_empty")) }
        do {
            let checked = try RevealCheck.check(Data(json.utf8), commitment: form.text("commitment"))
            return .init(ok: true, message: t.t("spot_verify_ok", checked.reveal.week.description, String(checked.orders)))
        } catch {
            return .init(ok: false, message: t.t("spot_verify_failed") + " " + "\(error)")
        }
    }
}
