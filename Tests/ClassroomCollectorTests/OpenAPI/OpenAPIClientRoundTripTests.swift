import ClassroomCollector
import ClassroomCore
import ClassroomWire
import CollectorAPI
import Foundation
import HummingbirdTesting
import OpenAPIRuntime
import Testing

/// The client generated from `Sources/CollectorAPI/openapi.yaml` against a real collector on loopback:
/// every operation of the document outside the agent section (which ClassroomWire implements, see
/// `AgentWireSchemaTests`) is called at least once and its answer decoded into the generated types.
@Suite("OpenAPI: the generated client against a live collector")
struct OpenAPIClientRoundTripTests {
    /// Operations whose answer here must be a success; the rest must be a documented refusal (the fixture
    /// has no drawn week, lesson in progress or media secret).
    static let mustSucceed: Set<String> = [
        "GET /healthz", "GET /api/v1/tokens", "POST /api/v1/tokens", "DELETE /api/v1/tokens/{id}",
        "POST /api/v1/enrollment-tokens", "GET /api/v1/devices", "GET /api/v1/devices/{id}",
        "POST /api/v1/devices/{id}/revoke", "POST /api/v1/devices/{id}/rotate", "POST /api/v1/devices/{id}/commands",
        "GET /api/v1/audit", "GET /api/v1/registry", "PUT /api/v1/registry", "GET /api/v1/spotcheck/weeks/{week}",
        "GET /api/v1/spotcheck/weeks/{week}/results", "GET /api/v1/spotcheck/weeks/{week}/notice", "GET /api/v1/patrol",
        "GET /api/v1/patrol/views", "GET /api/v1/observation", "GET /api/v1/alerts", "GET /api/v1/coverage",
    ]

    @Test("every operator operation of the document, answers decoded into the generated types")
    func everyOperation() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.live) { client in
                let port = try #require(client.port)
                let fixture = try await RouteMatrixFixture.make(client, admin: h.adminToken, store: store)
                let log = OperationLog()
                let outcomes = try await Self.callEverything(
                    admin: .loopback(port: port, token: h.adminToken, log: log),
                    anonymous: .loopback(port: port, token: "", log: log), fixture: fixture)

                // The list comes from the served document, so a new operation fails this test until it is called.
                let documented = Set(try await RouteMatrix.operations(client).map(\.key))
                    .filter { !$0.contains(" /api/v1/agent/") }
                #expect(documented.count >= 30, "\(documented.sorted())")
                let missing = documented.subtracting(log.all)
                #expect(missing.isEmpty, "operations of the document the generated client did not call: \(missing.sorted())")
                for key in documented.sorted() {
                    let answer = outcomes[key] ?? "not called"
                    #expect(answer != "undocumented", "\(key): an answer the document does not list")
                    if Self.mustSucceed.contains(key) {
                        #expect(["ok", "created", "noContent"].contains(answer), "\(key): \(answer)")
                    } else {
                        #expect(!["ok", "created", "noContent", "not called"].contains(answer), "\(key): \(answer)")
                    }
                }
            }
        }
    }
}
