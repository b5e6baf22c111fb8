import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

/// `GET /api/v1/coverage?from=…&to=…`: weekly points, each from the store's evidence as of its day.
///
/// The scenario of ``CoverageRouteTests``: week 1 (2026-W39, 09-21…09-27) only R2's recording room
/// reports (not a home classroom); in week 2 (Thursday 2026-10-01) R1's agent reports a display and
/// a touchscreen. By hand: smart blackboards in S1's 6 + S2's 12 primary classes = 0/18 at the week-1
/// point and 1/18 at the week-2 point; S1 alone 0/6 then 1/6; usage 0/1 (R2's lesson) then 1/1 (R1's).
@Suite("Coverage API: trend")
struct CoverageTrendRouteTests {
    static let path = "/api/v1/coverage?profile=national-quality-balance&from=2026-09-21&to=2026-10-04"

    static func points(_ json: [String: Any]) -> [[String: Any]] { json["points"] as? [[String: Any]] ?? [] }

    static func indicator(_ point: [String: Any], _ key: String, _ stage: String) -> [String: Any]? {
        (point["indicators"] as? [[String: Any]])?.first { $0["key"] as? String == key && $0["stage"] as? String == stage }
    }

    @Test("evidence that appears in week 2 is 0 at the week-1 point and counted at week 2", arguments: StoreKind.allCases)
    func weekly(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await CoverageRouteTests.scenario(h, client)
                // Revoked after the range: the past points stay as they were.
                let r1 = try #require(try await store.devices(schoolID: "S1").first { $0.roomID == "R1" })
                h.clock.advance(seconds: 30 * 86_400)
                _ = try await client.call(.post, "/api/v1/devices/\(r1.id)/revoke", token: h.adminToken)
                #expect(try await store.device(id: r1.id)?.revokedAt != nil)

                let answer = try await client.call(.get, Self.path, token: h.adminToken)
                #expect(answer.status == .ok, "\(answer.text)")
                let json = answer.json
                #expect(json["profile"] as? String == "national-quality-balance")
                #expect(json["basis"] as? String == "verified")
                #expect(json["scope"] == nil)
                let points = Self.points(json)
                #expect(points.map { $0["week"] as? String } == ["2026-W39", "2026-W40"])
                #expect(points.map { $0["at"] as? String } == ["2026-09-27", "2026-10-04"])
                let week1 = try #require(Self.indicator(points[0], "smart_blackboard_class_coverage", "primary"))
                #expect(week1["numerator"] as? Double == 0)
                #expect(week1["denominator"] as? Double == 18)
                #expect(week1["value"] as? Double == 0)
                let week2 = try #require(Self.indicator(points[1], "smart_blackboard_class_coverage", "primary"))
                #expect(week2["numerator"] as? Double == 1)
                #expect(abs((week2["value"] as? Double ?? 0) - 1.0 / 18.0) < 1e-12)
                // Usage: week 1's equipped room is R2 (display + touch seen 09-21), its Tuesday lesson unused: 0/1;
                // week 2's is R1, its Monday 09-28 08:00 lesson had an active minute: 1/1.
                let usage1 = try #require(Self.indicator(points[0], "usage_rate", "primary"))
                #expect(usage1["numerator"] as? Double == 0)
                #expect(usage1["denominator"] as? Double == 1)
                let usage2 = try #require(Self.indicator(points[1], "usage_rate", "primary"))
                #expect(usage2["numerator"] as? Double == 1)
                #expect(usage2["denominator"] as? Double == 1)
                // R2's agent (seen 09-21) is online in week 1 only; R1's in week 2: S1 has access at both points.
                #expect(Self.indicator(points[0], "network_access", "all")?["numerator"] as? Double == 1)
                #expect(Self.indicator(points[1], "network_access", "all")?["numerator"] as? Double == 1)

                // Today (after the revocation) R1's device no longer counts.
                let today = try await client.call(
                    .get, Self.path.replacingOccurrences(of: "to=2026-10-04", with: "to=2026-11-01"), token: h.adminToken)
                let last = try #require(Self.points(today.json).last)
                #expect(last["at"] as? String == "2026-11-01")
                #expect(Self.indicator(last, "smart_blackboard_class_coverage", "primary")?["numerator"] as? Double == 0)
            }
        }
    }

    @Test("a school admin's points carry its own school's indicators, never the county's")
    func schoolScope() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let s1 = try await CoverageRouteTests.scenario(h, client)
                let answer = try await client.call(.get, Self.path, token: s1)
                #expect(answer.status == .ok, "\(answer.text)")
                #expect(answer.json["scope"] as? String == "school:S1")
                let points = Self.points(answer.json)
                #expect(points.count == 2)
                let week2 = try #require(Self.indicator(points[1], "smart_blackboard_class_coverage", "primary"))
                #expect(week2["denominator"] as? Double == 6)
                #expect(week2["numerator"] as? Double == 1)
                // No county figure (denominator 18) in any point.
                for point in points {
                    for i in point["indicators"] as? [[String: Any]] ?? []
                    where i["key"] as? String == "smart_blackboard_class_coverage" {
                        #expect(i["denominator"] as? Double != 18)
                    }
                }
                // The declared basis has no dates: a flat line, and the document decodes as the core's trend.
                let declared = try await client.call(.get, Self.path + "&basis=declared", token: h.adminToken)
                let doc = try CoverageTrend.Document.decode(Array(declared.body))
                #expect(doc.basis == .declared)
                #expect(doc.points.count == 2)
                #expect(doc.points[0].indicators == doc.points[1].indicators)
                #expect(try doc.encoded() == Array(declared.body))
            }
        }
    }

    @Test("bad ranges get a 400 naming the parameter")
    func badRanges() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let cases: [(String, String)] = [
                    ("to=2026-10-04", "query 'to' needs 'from'"),
                    ("from=2026-10-05&to=2026-10-04", "query 'from': 2026-10-05 is after 'to' 2026-10-04"),
                    ("from=2020-01-01&to=2026-10-04", "query 'to': 2026-10-04 is more than 1098 days"),
                    ("from=2026-02-30", "query 'from': '2026-02-30' is not a date"),
                    ("from=2026-09-01&to=next-week", "query 'to': 'next-week' is not a date"),
                    ("from=1999-12-31&to=2000-01-02", "query 'from': '1999-12-31'"),
                ]
                for (query, message) in cases {
                    let answer = try await client.call(
                        .get, "/api/v1/coverage?profile=luxi-2025&" + query, token: h.adminToken)
                    #expect(answer.status == .badRequest, "\(query): \(answer.text)")
                    #expect(answer.error?.message.contains(message) == true, "\(query): \(answer.text)")
                }
                // `to` defaults to `at`: one point on that day when from is in the same week.
                let one = try await client.call(
                    .get, "/api/v1/coverage?profile=luxi-2025&basis=declared&from=2026-09-22&at=2026-09-24", token: h.adminToken)
                #expect(one.status == .ok, "\(one.text)")
                #expect(Self.points(one.json).map { $0["at"] as? String } == ["2026-09-24"])
            }
        }
    }
}
