import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

/// `GET /api/v1/coverage` answers a page of the report's schools (`schools_offset`, `schools_limit`,
/// `schools_page`), the county part whole: the test registry's two schools, S1 and S2, one page at a time.
@Suite("Coverage API: schools a page at a time")
struct CoverageSchoolsPageTests {
    static let path = "/api/v1/coverage?profile=national-quality-balance&basis=declared"

    static func schoolIDs(_ json: [String: Any]) -> [String] {
        (json["schools"] as? [[String: Any]] ?? []).compactMap { $0["school_id"] as? String }
    }

    static func page(_ json: [String: Any]) -> [Int] {
        guard let page = json["schools_page"] as? [String: Any] else { return [] }
        return ["offset", "limit", "total"].compactMap { page[$0] as? Int }
    }

    @Test("pages of schools, the county figures whole on each; the default page holds up to 1,000")
    func pages() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let whole = try await client.call(.get, Self.path, token: h.adminToken)
                #expect(whole.status == .ok, "\(whole.text)")
                #expect(Self.schoolIDs(whole.json) == ["S1", "S2"])
                #expect(Self.page(whole.json) == [0, 1000, 2])

                let first = try await client.call(.get, Self.path + "&schools_limit=1", token: h.adminToken)
                #expect(Self.schoolIDs(first.json) == ["S1"])
                #expect(Self.page(first.json) == [0, 1, 2])
                let second = try await client.call(.get, Self.path + "&schools_limit=1&schools_offset=1", token: h.adminToken)
                #expect(Self.schoolIDs(second.json) == ["S2"])
                #expect(Self.page(second.json) == [1, 1, 2])
                let past = try await client.call(.get, Self.path + "&schools_offset=5", token: h.adminToken)
                #expect(past.status == .ok)
                #expect(Self.schoolIDs(past.json) == [])
                #expect(Self.page(past.json) == [5, 1000, 2])
                let none = try await client.call(.get, Self.path + "&schools_limit=0", token: h.adminToken)
                #expect(Self.schoolIDs(none.json) == [])
                // The county part is the same on every page.
                for answer in [first, second, past, none] {
                    let county = try JSONSerialization.data(withJSONObject: answer.json["county"] ?? [:], options: .sortedKeys)
                    let expected = try JSONSerialization.data(withJSONObject: whole.json["county"] ?? [:], options: .sortedKeys)
                    #expect(county == expected)
                }
            }
        }
    }

    @Test("a school admin's page holds its own school only")
    func schoolAdmin() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let token = try await client.token(.schoolAdmin, school: "S2", admin: h.adminToken)
                let answer = try await client.call(.get, Self.path + "&schools_limit=5", token: token)
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(Self.schoolIDs(answer.json) == ["S2"])
                #expect(Self.page(answer.json) == [0, 5, 1])
            }
        }
    }

    @Test("bad paging gets a 400 naming the parameter")
    func badPaging() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let cases: [(String, String)] = [
                    ("schools_offset=-1", "query 'schools_offset': '-1' is not a whole number ≥ 0"),
                    ("schools_offset=first", "query 'schools_offset': 'first'"),
                    ("schools_limit=100001", "query 'schools_limit': '100001' is not a whole number from 0 to 100000"),
                    ("schools_limit=1.5", "query 'schools_limit': '1.5'"),
                    ("from=2026-09-21&schools_limit=10", "a trend (from, to) has none"),
                ]
                for (query, message) in cases {
                    let answer = try await client.call(.get, Self.path + "&" + query, token: h.adminToken)
                    #expect(answer.status == .badRequest, "\(query): \(answer.text)")
                    #expect(answer.error?.message.contains(message) == true, "\(query): \(answer.text)")
                }
            }
        }
    }
}
