import ClassroomCore
import CollectorAPI
import Foundation
import OpenAPIRuntime
import Testing

extension OpenAPIClientRoundTripTests {
    /// Calls each operator operation once (as bureau_admin; the liveness and media hooks without a token)
    /// and returns the case each answer took, keyed "METHOD /path"; a body that does not match the
    /// document throws from the generated client.
    static func callEverything(admin api: Client, anonymous: Client, fixture: RouteMatrixFixture) async throws
        -> [String: String]
    {
        var out: [String: String] = [:]
        func note(_ key: String, _ output: Any) { out[key] = outputCase(output) }
        let week = "2026-W48"

        note("GET /healthz", try await anonymous.getHealthz())
        let tokens = try await api.getApiV1Tokens()
        note("GET /api/v1/tokens", tokens)
        #expect(try tokens.ok.body.json.tokens.contains { $0.id == fixture.victimTokenID })
        let created = try await api.postApiV1Tokens(body: .json(.init(role: .auditor, name: "round trip")))
        note("POST /api/v1/tokens", created)
        #expect(try created.created.body.json.token?.hasPrefix("cfo_") == true)
        note("DELETE /api/v1/tokens/{id}", try await api.deleteApiV1TokensId(path: .init(id: fixture.victimTokenID)))
        let enrollment = try await api.postApiV1EnrollmentTokens(
            body: .json(.init(schoolId: "S1", maxUses: 1, expiresInSeconds: 600)))
        note("POST /api/v1/enrollment-tokens", enrollment)
        #expect(try enrollment.created.body.json.token.hasPrefix("cfe_"))

        let devices = try await api.getApiV1Devices(query: .init(schoolId: "S1"))
        note("GET /api/v1/devices", devices)
        #expect(try devices.ok.body.json.devices.map(\.id).contains(fixture.deviceID))
        let device = try await api.getApiV1DevicesId(path: .init(id: fixture.deviceID))
        note("GET /api/v1/devices/{id}", device)
        #expect(try device.ok.body.json.roomId == "R1")
        note("POST /api/v1/devices/{id}/rotate", try await api.postApiV1DevicesIdRotate(path: .init(id: fixture.victimDeviceID)))
        note("POST /api/v1/devices/{id}/revoke", try await api.postApiV1DevicesIdRevoke(path: .init(id: fixture.victimDeviceID)))
        note(
            "POST /api/v1/devices/{id}/commands",
            try await api.postApiV1DevicesIdCommands(path: .init(id: fixture.deviceID), body: .json(.init(kind: .chime))))
        let audit = try await api.getApiV1Audit(query: .init(limit: 50))
        note("GET /api/v1/audit", audit)
        #expect(try audit.ok.body.json.entries.contains { $0.action == "token.create" })

        note("GET /api/v1/registry", try await api.getApiV1Registry())
        let files = TestRegistry.files().mapValues { Base64EncodedData($0) }
        let imported = try await api.putApiV1Registry(body: .json(.init(files: .init(additionalProperties: files))))
        note("PUT /api/v1/registry", imported)
        #expect(try imported.ok.body.json.summary.schools >= 1)

        note(
            "POST /api/v1/spotcheck/draws", try await api.postApiV1SpotcheckDraws(body: .json(.init(week: "2020-W01", count: 1))))
        note("GET /api/v1/spotcheck/weeks/{week}", try await api.getApiV1SpotcheckWeeksWeek(path: .init(week: week)))
        note("GET /api/v1/spotcheck/weeks/{week}/reveal", try await api.getApiV1SpotcheckWeeksWeekReveal(path: .init(week: week)))
        note(
            "POST /api/v1/spotcheck/weeks/{week}/reveal", try await api.postApiV1SpotcheckWeeksWeekReveal(path: .init(week: week))
        )
        note(
            "GET /api/v1/spotcheck/weeks/{week}/results", try await api.getApiV1SpotcheckWeeksWeekResults(path: .init(week: week))
        )
        note("GET /api/v1/spotcheck/weeks/{week}/notice", try await api.getApiV1SpotcheckWeeksWeekNotice(path: .init(week: week)))
        note("POST /api/v1/spotcheck/now", try await api.postApiV1SpotcheckNow(body: .json(.init(schoolId: "S1"))))
        note(
            "POST /api/v1/spotcheck/orders/{id}/excuse",
            try await api.postApiV1SpotcheckOrdersIdExcuse(path: .init(id: "no-such-order"), body: .json(.init(reason: "ill"))))

        note("GET /api/v1/patrol", try await api.getApiV1Patrol())
        note("POST /api/v1/patrol", try await api.postApiV1Patrol(body: .json(.init(roomId: "R1"))))
        note("GET /api/v1/patrol/views", try await api.getApiV1PatrolViews())
        note("GET /api/v1/lessons/{id}/evaluations", try await api.getApiV1LessonsIdEvaluations(path: .init(id: "no-such-order")))
        let scores = ["objectives": 3, "process": 3, "technology": 3, "effect": 3]
        note(
            "PUT /api/v1/lessons/{id}/evaluation",
            try await api.putApiV1LessonsIdEvaluation(
                path: .init(id: "no-such-order"), body: .json(.init(scores: .init(additionalProperties: scores), comment: "ok"))))
        note("GET /api/v1/observation", try await api.getApiV1Observation())
        note("GET /api/v1/alerts", try await api.getApiV1Alerts(query: .init(state: .all)))
        note("GET /api/v1/coverage", try await api.getApiV1Coverage(query: .init(profile: "luxi-2025")))

        let secret = Operations.PostApiV1MediaOnPublish.Input.Query(secret: "wrong")
        note(
            "POST /api/v1/media/on_publish",
            try await anonymous.postApiV1MediaOnPublish(query: secret, body: .urlEncodedForm(.init(name: "key"))))
        note(
            "POST /api/v1/media/on_publish_done",
            try await anonymous.postApiV1MediaOnPublishDone(
                query: .init(secret: "wrong"), body: .urlEncodedForm(.init(name: "key"))))
        note(
            "POST /api/v1/media/on_record_done",
            try await anonymous.postApiV1MediaOnRecordDone(
                query: .init(secret: "wrong"), body: .urlEncodedForm(.init(name: "key", path: "/x.flv"))))
        return out
    }
}
