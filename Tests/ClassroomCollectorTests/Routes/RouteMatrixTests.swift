import ClassroomCollector
import ClassroomWire
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every operation of the served OpenAPI document × every caller, and bad input on every route with a body.
///
/// The operations are read from `/api/v1/openapi.yaml` at test time; ``RouteMatrix/table`` must name each
/// of them, so a new route cannot be added without saying who may call it.
@Suite("Route matrix (OpenAPI × roles)")
struct RouteMatrixTests {
    @Test("every documented operation × every role: allowed, 401 or 403, never 5xx", arguments: StoreKind.allCases)
    func roleMatrix(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let operations = try await RouteMatrix.operations(client)
                let missing = operations.filter { RouteMatrix.table[$0.key] == nil }.map(\.key)
                #expect(missing.isEmpty, "operations without an expectation in RouteMatrix.table: \(missing)")
                let stale = Set(RouteMatrix.table.keys).subtracting(operations.map(\.key))
                #expect(stale.isEmpty, "RouteMatrix.table names operations the document lacks: \(stale.sorted())")
                let fixture = try await RouteMatrixFixture.make(client, admin: h.adminToken, store: store)
                for operation in operations {
                    guard let rule = RouteMatrix.table[operation.key] else { continue }
                    for caller in RouteMatrixFixture.Caller.allCases {
                        let answer = try await client.call(
                            operation.method, fixture.fill(operation.path, for: operation.key),
                            token: fixture.secret(caller), raw: rule.body.map { Data(fixture.fill(body: $0).utf8) })
                        let code = answer.status.code
                        let what = "\(operation.key) as \(caller): \(code) \(answer.text.prefix(300))"
                        #expect(code < 500, "\(what)")
                        switch rule.expectation(for: caller) {
                        case .allowed: #expect(code != 401 && code != 403, "\(what)")
                        case .unauthorized: #expect(code == 401, "\(what)")
                        case .forbidden: #expect(code == 403, "\(what)")
                        }
                        if code >= 400 { #expect(answer.error != nil, "error body: \(what)") }
                    }
                }
            }
        }
    }

    @Test("bad input on every route with a body: never 5xx, rejected writes change nothing", arguments: StoreKind.allCases)
    func badInput(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application(registryImportLimit: 4 * 1024 * 1024).test(.router) { client in
                let operations = try await RouteMatrix.operations(client).filter { RouteMatrix.table[$0.key]?.body != nil }
                #expect(operations.count >= 10, "routes with a body: \(operations.map(\.key))")
                let fixture = try await RouteMatrixFixture.make(client, admin: h.adminToken, store: store)
                let before = try await RouteMatrixFixture.counts(store, device: fixture.deviceID)
                let oversized = Data(repeating: UInt8(ascii: " "), count: 5 * 1024 * 1024 + 1)
                for operation in operations {
                    let rule = try #require(RouteMatrix.table[operation.key])
                    let path = fixture.fill(operation.path, for: operation.key)
                    let token = fixture.secret(rule.caller)
                    var cases: [(String, Data, ClosedRange<Int>)] = [
                        ("malformed JSON", Data("{\"a\": [1, ".utf8), 400...400),
                        ("a JSON array", Data("[1, 2]".utf8), 400...400),
                        ("oversized", oversized, 413...413),
                    ]
                    if let object = fixture.object(rule.body) {
                        var unknown = object
                        unknown["unexpected_field"] = "x"
                        cases.append(
                            ("unknown field", try JSONSerialization.data(withJSONObject: unknown), rule.unknownFieldStatus))
                        for (key, value) in object {
                            var wrong = object
                            if value is String { wrong[key] = [1, 2] } else { wrong[key] = "wrong type" }
                            cases.append(("wrong type of '\(key)'", try JSONSerialization.data(withJSONObject: wrong), 400...422))
                        }
                    }
                    if rule.form { cases = cases.map { ($0.0, $0.1, 400...413) } }
                    for (label, body, expected) in cases {
                        let answer = try await client.call(operation.method, path, token: token, raw: body)
                        let what = "\(operation.key) \(label): \(answer.status.code) \(answer.text.prefix(300))"
                        #expect(answer.status.code < 500, "\(what)")
                        #expect(expected.contains(answer.status.code), "\(what)")
                        if answer.status.code >= 400 { #expect(answer.error != nil, "error body: \(what)") }
                    }
                }
                let after = try await RouteMatrixFixture.counts(store, device: fixture.deviceID)
                #expect(after == before, "rejected writes changed the store")
                try await sqlText(client, store: store, fixture: fixture, operations: operations)
            }
        }
    }

    /// SQL-looking text in every string field of every valid body: stored verbatim or refused, never 5xx,
    /// and the tables are still there afterwards.
    func sqlText(
        _ client: some TestClientProtocol, store: any CollectorStore, fixture: RouteMatrixFixture,
        operations: [RouteMatrix.Operation]
    ) async throws {
        let evil = "'; DROP TABLE devices; --"
        let devicesBefore = try await store.devices(schoolID: nil).count
        for operation in operations {
            let rule = try #require(RouteMatrix.table[operation.key])
            guard let object = fixture.object(rule.body) else { continue }
            for (key, value) in object where value is String {
                var body = object
                body[key] = evil
                let answer = try await client.call(
                    operation.method, fixture.fill(operation.path, for: operation.key), token: fixture.secret(rule.caller),
                    json: body)
                let what = "\(operation.key) '\(key)' = SQL text: \(answer.status.code) \(answer.text.prefix(300))"
                #expect(answer.status.code < 500, "\(what)")
                if answer.status.code >= 400 { #expect(answer.error != nil, "error body: \(what)") }
            }
        }
        #expect(try await store.devices(schoolID: nil).count >= devicesBefore)
        let listed = try await client.call(.get, "/api/v1/devices", token: fixture.secret(.bureauAdmin))
        #expect(listed.status == .ok)
        #expect(try await store.operatorTokens(schoolID: nil).count > 1)
    }
}
