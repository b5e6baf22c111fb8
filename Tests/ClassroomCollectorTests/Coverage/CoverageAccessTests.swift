import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

/// Who may read `GET /api/v1/coverage`, what a school admin sees, and bad queries.
@Suite("Coverage API: access and bad input")
struct CoverageAccessTests {
    @Test("a school admin sees only its school, county figures hidden; other roles see the county")
    func scope() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let s1 = try await CoverageRouteTests.scenario(h, client)
                let path = "/api/v1/coverage?profile=national-quality-balance&at=2026-10-01"
                let mine = try await client.call(.get, path, token: s1)
                #expect(mine.status == .ok, "\(mine.text)")
                #expect(mine.json["scope"] as? String == "school:S1")
                let schools = try #require(mine.json["schools"] as? [[String: Any]])
                #expect(schools.map { $0["school_id"] as? String } == ["S1"])
                #expect(((mine.json["county"] as? [String: Any])?["indicators"] as? [Any])?.isEmpty == true)
                for role in [OperatorRole.bureauViewer, .auditor] {
                    let token = try await client.token(role, admin: h.adminToken)
                    let all = try await client.call(.get, path, token: token)
                    #expect(all.status == .ok)
                    #expect((all.json["schools"] as? [Any])?.count == 2)
                    #expect(all.json["scope"] == nil)
                }
                let declared = try await client.call(.get, path + "&basis=declared", token: h.adminToken)
                #expect(declared.json["basis"] as? String == "declared")
                #expect(declared.json["not_measured"] == nil)
                // The JSON is the CLI's: the core's encoder, pretty and sorted.
                let report = try CoverageJSON.decode(Array(declared.body))
                #expect(try CoverageJSON.encode(report) == Array(declared.body))
            }
        }
    }

    @Test("bad queries and missing tokens get clear 4xx answers naming the parameter")
    func badInput() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let cases: [(String, Int, String)] = [
                    ("", 400, "query 'profile' is required"),
                    ("profile=../../etc/passwd", 400, "is not a profile name"),
                    ("profile=no-such-profile", 404, "no profile 'no-such-profile'"),
                    ("profile=luxi-2025&basis=guessed", 400, "query 'basis'"),
                    ("profile=luxi-2025&at=2026-02-30", 400, "query 'at'"),
                    ("profile=luxi-2025&at=0001-01-01", 400, "query 'at'"),
                    ("profile=luxi-2025&window_days=0", 400, "query 'window_days'"),
                    ("profile=luxi-2025&colour=red", 400, "query 'colour': unknown parameter"),
                ]
                for (query, status, message) in cases {
                    let answer = try await client.call(.get, "/api/v1/coverage?" + query, token: h.adminToken)
                    #expect(Int(answer.status.code) == status, "\(query): \(answer.text)")
                    #expect(answer.error?.message.contains(message) == true, "\(query): \(answer.text)")
                }
                let anonymous = try await client.call(.get, "/api/v1/coverage?profile=luxi-2025")
                #expect(anonymous.status == .unauthorized)
            }
        }
    }

    @Test("without an imported registry the answer is 409, not an empty report")
    func noRegistry() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            _ = try await store.replaceRegistry(
                Registry(schools: [], rooms: [], teachers: [], lessons: []),
                audit: AuditEntry(at: 0, actor: "test", action: "registry.import", target: "registry", schoolID: nil, detail: ""))
            try await h.application().test(.router) { client in
                let answer = try await client.call(.get, "/api/v1/coverage?profile=luxi-2025", token: h.adminToken)
                #expect(answer.status == .conflict)
                #expect(answer.error?.error == "no_registry")
            }
        }
    }
}
