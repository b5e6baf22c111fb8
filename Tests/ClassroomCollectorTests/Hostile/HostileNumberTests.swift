import ClassroomCollector
import ClassroomWire
import CollectorAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Hand-written hostile numbers, deep nesting and huge arrays on every agent and operator route,
/// through the real router: never a 5xx, the collector keeps answering, and what was stored keeps
/// the reports working.
@Suite("Hostile numbers")
struct HostileNumberTests {
    @Test("every numeric field the OpenAPI document names is in the hostile table")
    func tableCoversTheDocument() throws {
        let documented = HostileNumbers.documentedNumericInputs(try OpenAPIDocument.shared.get())
        // The parser itself finds the fields it must (so an empty set cannot pass).
        for known in [
            "POST /api/v1/agent/events sent_at", "POST /api/v1/agent/events seq", "GET /api/v1/agent/commands wait",
            "POST /api/v1/enrollment-tokens max_uses", "GET /api/v1/audit limit", "POST /api/v1/tokens expires_in",
        ] {
            #expect(documented.contains(known), "\(known) not found in the document")
        }
        let covered = Set(HostileNumbers.inputs.map { "\($0.route) \($0.leaf)" })
        let missing = documented.subtracting(covered)
        #expect(missing.isEmpty, "numeric inputs without hostile cases: \(missing.sorted())")
    }

    static let generous = AgentLimits(requestsPerSecond: 10_000, requestBurst: 1_000_000)

    @Test(
        "Int64 extremes, -1, 0, 1e300, NaN, …: no 5xx, the minimum named as a 400, reports still work",
        arguments: StoreKind.allCases)
    func hostileValues(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application(maximumWait: 1, agentLimits: Self.generous).test(.router) { client in
                let device = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
                var statuses: [Int: Int] = [:]
                for input in HostileNumbers.inputs {
                    let tokens: [String]
                    switch input.place {
                    case .query, .registry: tokens = HostileNumbers.textTokens
                    case .json, .evidencePayload: tokens = HostileNumbers.jsonTokens
                    }
                    for token in tokens {
                        let answer = try await Self.send(input, token, client: client, h: h, device: device)
                        statuses[answer.status.code, default: 0] += 1
                        let what = "\(input) = \(token): \(answer.status) \(answer.text.prefix(300))"
                        #expect(answer.status.code < 500, "\(what)")
                        #expect(answer.status != .tooManyRequests, "\(what)")
                        if answer.status.code >= 400 { #expect(answer.error != nil, "\(what)") }
                        if case .registry = input.place, answer.status == .ok {
                            // An accepted registry (zero students, say) still gives a report.
                            let report = try await client.call(
                                .get, "/api/v1/coverage?profile=national-quality-balance", token: h.adminToken)
                            #expect(report.status.code < 500, "coverage after \(what): \(report.text.prefix(300))")
                        }
                        guard token == "-9223372036854775808" else { continue }
                        if case .registry = input.place {
                            #expect(answer.status == .unprocessableContent, "\(what)")
                        } else {
                            #expect(answer.status == .badRequest, "\(what)")
                            #expect(answer.error?.message.contains("'\(input.field)'") == true, "\(what)")
                        }
                    }
                }
                // Both refusals and acceptances happened: the table reaches the checks, not just the parser.
                #expect((statuses[200] ?? 0) + (statuses[201] ?? 0) > 0)
                #expect((statuses[400] ?? 0) > 0)
                let health = try await client.call(.get, "/healthz")
                #expect(health.status == .ok)
                // What was accepted cannot stop a report that reads it.
                let coverage = try await client.call(
                    .get, "/api/v1/coverage?profile=national-quality-balance", token: h.adminToken)
                #expect(coverage.status == .ok, "\(coverage.text.prefix(300))")
                let results = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40/results", token: h.adminToken)
                #expect(results.status == .ok, "\(results.text.prefix(300))")
            }
        }
    }

    static func send(
        _ input: NumericInput, _ token: String, client: some TestClientProtocol, h: CollectorHarness, device: EnrollResponse
    ) async throws -> Answer {
        let now = "\(h.clock.now)"
        let bearer = input.auth == .device ? device.credential : h.adminToken
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "\"{now}\"", with: now).replacingOccurrences(of: "\"@@\"", with: token)
        }
        switch input.place {
        case .json(let template):
            return try await client.call(
                HTTPRequest.Method(input.method)!, input.path, token: bearer, raw: Data(fill(template).utf8))
        case .query(let template):
            let text = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            return try await client.call(
                HTTPRequest.Method(input.method)!, template.replacingOccurrences(of: "@@", with: text), token: bearer)
        case .evidencePayload(let payload):
            let evidence: [String: Any] = [
                "order_id": "o1", "payload": Data(fill(payload).utf8).base64EncodedString(),
                "signature": Data(repeating: 1, count: 64).base64EncodedString(),
            ]
            let body = HostileNumbers.batch([["seq": 1, "at": "{now}", "kind": "evidence", "evidence": evidence]])
            return try await client.call(.post, AgentRoutes.events, token: bearer, raw: Data(fill(body).utf8))
        case .registry(let file, let csv):
            var files = TestRegistry.files().mapValues { Data($0).base64EncodedString() }
            files[file] = Data(csv.replacingOccurrences(of: "@@", with: token).utf8).base64EncodedString()
            return try await client.call(.put, "/api/v1/registry", token: bearer, json: ["files": files])
        }
    }

    @Test("100,000 nested brackets and huge arrays on every operation: no 5xx, still answering", arguments: StoreKind.allCases)
    func deepNestingAndHugeArrays(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application(maximumWait: 1, agentLimits: Self.generous).test(.router) { client in
                let device = try await client.enroll(room: "R2", school: "S1", admin: h.adminToken)
                let deep = String(repeating: "[", count: 100_000)
                let closed: String = deep + String(repeating: "]", count: 100_000)
                let zeros: String = "[" + Array(repeating: "0", count: 1_000_000).joined(separator: ",") + "]"
                let strings: String = "{\"ids\": [" + Array(repeating: "\"x\"", count: 300_000).joined(separator: ",") + "]}"
                var bodies: [String] = [deep, closed, zeros, strings]
                bodies.append("{\"sent_at\": " + deep)
                bodies.append("{\"ids\": " + deep + "}")
                bodies.append("{\"files\": {\"schools.csv\": " + deep)
                let operations = HostileNumbers.operations(try OpenAPIDocument.shared.get())
                #expect(operations.count > 20)
                for (method, path) in operations {
                    let uri = path.replacingOccurrences(of: "{id}", with: "x").replacingOccurrences(
                        of: "{week}", with: "2026-W40")
                    let token = path.hasPrefix("/api/v1/agent/") ? device.credential : h.adminToken
                    for body in bodies {
                        let answer = try await client.call(HTTPRequest.Method(method)!, uri, token: token, raw: Data(body.utf8))
                        #expect(answer.status.code < 500, "\(method) \(path) \(body.prefix(20))…: \(answer.text.prefix(200))")
                    }
                }
                // A batch of 100,000 events and an acknowledgement of 100,000 ids are refused whole.
                let heartbeat =
                    #"{"seq": 1, "at": \#(h.clock.now), "kind": "heartbeat", "heartbeat": {"agent_version": "x", "uptime_seconds": 1, "queue_depth": 0, "dropped_usage_total": 0}}"#
                let many =
                    "{\"sent_at\": \(h.clock.now), \"events\": ["
                    + Array(repeating: heartbeat, count: 100_000).joined(
                        separator: ",") + "]}"
                let batch = try await client.call(.post, AgentRoutes.events, token: device.credential, raw: Data(many.utf8))
                #expect(batch.status == .contentTooLarge)
                let ids = try await client.call(
                    .post, AgentRoutes.commandsAck, token: device.credential,
                    json: ["ids": Array(repeating: "x", count: 100_000)])
                #expect(ids.status.code >= 400 && ids.status.code < 500)
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).isEmpty)
                #expect(try await client.call(.get, "/healthz").status == .ok)
            }
        }
    }
}
