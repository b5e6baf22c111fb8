import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

/// The trend over a prefecture of two counties (declared basis, so every point has the same figures:
/// multimedia classrooms per 100 primary students 2.6 in each county, CV 0.188 in 甲县 and 0.308 in 乙县,
/// see ``CoveragePrefectureRouteTests``): the prefecture line has no CV, each county's line has its own;
/// `county=` gives one county's points, a county admin its own.
@Suite("Coverage trend: per county in a prefecture")
struct CoveragePrefectureTrendTests {
    static let path = "/api/v1/coverage?profile=zhaotong-2025&basis=declared&from=2026-09-28&to=2026-10-09"

    static func multimedia(_ indicators: Any?) -> [String: Any]? {
        (indicators as? [[String: Any]])?.first {
            $0["key"] as? String == "multimedia_classrooms_per_100_students" && $0["stage"] as? String == "primary"
        }
    }

    static func rounded(_ v: Any?) -> Double? { (v as? Double).map { ($0 * 1000).rounded() / 1000 } }

    @Test("per-county series with their own CV; county= and a county admin get one county", arguments: StoreKind.allCases)
    func perCounty(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            _ = try await store.replaceRegistry(
                CoveragePrefectureRouteTests.registry(), audit: CoveragePrefectureRouteTests.audit)
            let yi = try await CountyAdminTests.token(store, county: "乙县")
            try await h.application().test(.router) { client in
                let all = try await client.call(.get, Self.path, token: h.adminToken)
                #expect(all.status == .ok, "\(all.text)")
                let points = try #require(all.json["points"] as? [[String: Any]])
                // Sunday 2026-10-04, then the last day 2026-10-09.
                #expect(points.map { $0["at"] as? String } == ["2026-10-04", "2026-10-09"])
                for point in points {
                    let total = try #require(Self.multimedia(point["indicators"]))
                    #expect(Self.rounded(total["value"]) == 2.6)
                    #expect(total["cv"] is NSNull)
                    let counties = try #require(point["counties"] as? [[String: Any]])
                    #expect(counties.map { $0["name"] as? String } == ["甲县", "乙县"])
                    #expect(Self.rounded(Self.multimedia(counties[0]["indicators"])?["cv"]) == 0.188)
                    #expect(Self.rounded(Self.multimedia(counties[1]["indicators"])?["cv"]) == 0.308)
                }

                let jia = try await client.call(.get, Self.path + "&county=%E7%94%B2%E5%8E%BF", token: h.adminToken)
                #expect(jia.status == .ok, "\(jia.text)")
                let jiaPoints = try #require(jia.json["points"] as? [[String: Any]])
                #expect(jiaPoints.count == 2)
                #expect(jiaPoints.allSatisfy { $0["counties"] == nil })
                #expect(jiaPoints.allSatisfy { Self.rounded(Self.multimedia($0["indicators"])?["cv"]) == 0.188 })

                let mine = try await client.call(.get, Self.path, token: yi)
                #expect(mine.status == .ok, "\(mine.text)")
                #expect(mine.json["scope"] as? String == "county:乙县")
                let minePoints = try #require(mine.json["points"] as? [[String: Any]])
                #expect(minePoints.allSatisfy { $0["counties"] == nil })
                #expect(minePoints.allSatisfy { Self.rounded(Self.multimedia($0["indicators"])?["cv"]) == 0.308 })
                let other = try await client.call(.get, Self.path + "&county=%E7%94%B2%E5%8E%BF", token: yi)
                #expect(other.status == .forbidden)

                let unknown = try await client.call(.get, Self.path + "&county=%E4%B8%99%E5%8E%BF", token: h.adminToken)
                #expect(unknown.status == .notFound)
                #expect(unknown.error?.message.contains("(counties: 甲县, 乙县)") == true, "\(unknown.text)")

                // A school admin's points are its school's, with no county series.
                let b1 = try await client.token(.schoolAdmin, school: "B1", admin: h.adminToken)
                let school = try await client.call(.get, Self.path, token: b1)
                #expect(school.json["scope"] as? String == "school:B1")
                #expect((school.json["points"] as? [[String: Any]])?.allSatisfy { $0["counties"] == nil } == true)
            }
        }
    }
}
