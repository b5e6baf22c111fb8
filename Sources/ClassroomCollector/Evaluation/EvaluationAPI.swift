import ClassroomCore
import Foundation
import Hummingbird

/// `GET /api/v1/lessons/{id}/evaluations` and `PUT /api/v1/lessons/{id}/evaluation`: lesson evaluation
/// (评课) for scripts; the work is ``EvaluationQueries``'.
struct EvaluationAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let rubric: EvaluationRubric
    let now: @Sendable () -> Int64

    var auth: Authenticator { Authenticator(store: store, now: now) }
    var queries: EvaluationQueries { EvaluationQueries(store: store, rubric: rubric, now: now) }

    func register(on router: Router<Context>) {
        let api = router.group("api/v1/lessons")
        api.get(":id/evaluations") { request, context in
            let who = try await auth.requireOperator(request, roles: EvaluationQueries.readers)
            return try JSONBody.response(try await queries.lesson(who, orderID: context.parameters.require("id")))
        }
        api.put(":id/evaluation") { request, context in
            let who = try await auth.requireOperator(request, roles: OperatorPrincipal.lessonWatchers)
            let (scores, comment) = try await Self.body(request)
            let outcome = try await queries.submit(
                who, orderID: context.parameters.require("id"), scores: scores, comment: comment)
            let view = LessonEvaluationView(outcome.record, now: now(), editableMillis: rubric.editableMillis)
            if case .created = outcome { return try JSONBody.response(view, status: .created) }
            return try JSONBody.response(view)
        }
    }

    /// `{"scores": {"objectives": 4, …}, "comment": "…"}`: every score an integer, nothing else.
    static func body(_ request: Request) async throws -> ([String: String], String) {
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: 64 * 1024))
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError.badRequest("body must be a JSON object with 'scores' and 'comment'")
        }
        if let unknown = object.keys.sorted().first(where: { $0 != "scores" && $0 != "comment" }) {
            throw APIError.badRequest("unknown field '\(unknown)'")
        }
        guard let raw = object["scores"] as? [String: Any] else {
            throw APIError.badRequest("field 'scores' must be an object of integers by rubric item")
        }
        var scores: [String: String] = [:]
        for (key, value) in raw {
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
                number.doubleValue == number.doubleValue.rounded(), abs(number.doubleValue) < 1e9
            else { throw APIError.badRequest("field 'scores' item 'score.\(key)' must be an integer") }
            scores[key] = String(number.intValue)
        }
        let comment = object["comment"] ?? ""
        guard let text = comment as? String else { throw APIError.badRequest("field 'comment' must be a string") }
        return (scores, text)
    }
}
