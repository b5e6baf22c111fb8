import ClassroomCore
import Foundation
import Hummingbird

/// `/lessons/{orderID}/evaluation`: the evaluation form (评课) of one lesson and the evaluations the
/// viewer may see (``EvaluationQueries``, the functions of `/api/v1/lessons/{id}/evaluation…`).
///
/// Bureau admins and observers county-wide, a school admin for its own school's lessons; another
/// school's lesson answers 404. A refused form (400 naming the field, 409 after the edit window)
/// shows the page again with the reason and stores nothing.
struct EvaluationPage: Sendable {
    let console: ConsoleEnvironment

    var queries: EvaluationQueries {
        EvaluationQueries(store: console.store, rubric: console.configuration.observation.rubric, now: console.now)
    }

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("lessons/:id/evaluation") { request, context in
            let flash = request.uri.queryParameters["done"] == "saved" ? "saved" : nil
            return try await show(request, id: try context.parameters.require("id"), saved: flash != nil)
        }
        router.post("lessons/:id/evaluation") { request, context in
            try await submit(request, id: try context.parameters.require("id"))
        }
    }

    func show(
        _ request: Request, id: String, saved: Bool = false, refusal: (ConsoleFlash, HTTPResponse.Status)? = nil,
        form: ConsoleForm? = nil
    ) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorPrincipal.lessonWatchers)
        let lesson = try await console.page { try await queries.lesson(viewer.principal, orderID: id) }
        let registry = try await console.store.registry()
        let model = EvaluationModel(
            lesson: lesson, viewer: viewer, registry: registry, console: console, form: form)
        let flash = refusal?.0 ?? (saved ? ConsoleFlash(.ok, viewer.text.t("eval_saved")) : nil)
        return try await console.renderer.page(
            request, viewer: viewer, title: viewer.text.t("eval_title"), section: .spotchecks, bodyTemplate: "evaluation",
            values: ["page": model], flash: flash, status: refusal?.1 ?? .ok)
    }

    func submit(_ request: Request, id: String) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: OperatorPrincipal.lessonWatchers)
        let form = try await ConsoleForm.read(request)
        try ConsoleAuth.verifyCSRF(form, viewer: viewer)
        var scores: [String: String] = [:]
        for (name, values) in form.fields where name.hasPrefix("score.") {
            scores[String(name.dropFirst("score.".count))] = values.first ?? ""
        }
        do {
            _ = try await console.page {
                try await queries.submit(viewer.principal, orderID: id, scores: scores, comment: form["comment"] ?? "")
            }
        } catch ConsoleFailure.badRequest(let message) {
            return try await show(request, id: id, refusal: (ConsoleFlash(.error, message), .badRequest), form: form)
        } catch let error as APIError where error.status == .conflict {
            return try await show(request, id: id, refusal: (ConsoleFlash(.error, error.body.message), .conflict), form: form)
        }
        let path = "/lessons/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)/evaluation?done=saved"
        return ConsoleHTTP.redirect(path)
    }
}
