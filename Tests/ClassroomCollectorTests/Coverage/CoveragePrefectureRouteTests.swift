import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

/// `GET /api/v1/coverage` over a prefecture registry of two counties: county rows with their own
/// CV, the prefecture total without one, `county=`, and a school admin who sees none of it.
@Suite("Coverage API: a prefecture of two counties")
struct CoveragePrefectureRouteTests {
    /// Multimedia classrooms per 100 primary students: 甲县 2.0 and 3.0 (200 / 300 students,
    /// CV 0.188), 乙县 1.0 and 3.0 (100 / 400 students, CV 0.308); see PrefectureCoverageTests.
    static func registry() -> Registry {
        var schools: [School] = []
        var rooms: [Room] = []
        for (id, county, students, classes, count) in [
            ("A1", "甲县", 200, 4, 4), ("A2", "甲县", 300, 6, 9), ("B1", "乙县", 100, 2, 1), ("B2", "乙县", 400, 8, 12),
        ] {
            schools.append(
                School(
                    id: id, name: "\(id)小学", county: county, township: "城关镇",
                    primary: StageEnrollment(classes: classes, students: students)))
            for n in 1...count {
                rooms.append(
                    Room(
                        id: "\(id)-\(n)", schoolID: id, name: "教室\(n)", kind: n <= classes ? .classroom : .computerLab,
                        stage: .primary, className: n <= classes ? "\(n)班" : "", declared: [.display, .network]))
            }
        }
        return Registry(schools: schools, rooms: rooms, teachers: [], lessons: [])
    }

    static let audit = AuditEntry(at: 0, actor: "test", action: "registry.import", target: "registry", schoolID: nil, detail: "")

    func multimedia(_ c: Any?) -> [String: Any]? {
        ((c as? [String: Any])?["indicators"] as? [[String: Any]])?.first {
            $0["key"] as? String == "multimedia_classrooms_per_100_students" && $0["stage"] as? String == "primary"
        }
    }

    func rounded(_ v: Any?) -> Double? { (v as? Double).map { ($0 * 1000).rounded() / 1000 } }

    @Test("county rows, prefecture total, county= and a school admin's view")
    func prefecture() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            _ = try await store.replaceRegistry(Self.registry(), audit: Self.audit)
            try await h.application().test(.router) { client in
                let path = "/api/v1/coverage?profile=zhaotong-2025&basis=declared&at=2026-10-09"
                let all = try await client.call(.get, path, token: h.adminToken)
                #expect(all.status == .ok, "\(all.text)")
                let counties = try #require(all.json["counties"] as? [[String: Any]])
                #expect(counties.map { $0["name"] as? String } == ["甲县", "乙县"])
                #expect(rounded(multimedia(counties[0])?["cv"]) == 0.188)
                #expect(rounded(multimedia(counties[1])?["cv"]) == 0.308)
                // Each county's townships (one here), without a CV.
                let township = try #require((counties[0]["townships"] as? [[String: Any]])?.first)
                #expect(township["name"] as? String == "城关镇")
                #expect(township["students"] as? Int == 500)
                #expect(multimedia(township)?["cv"] is NSNull)
                let total = try #require(all.json["prefecture"] as? [String: Any])
                #expect(total["name"] as? String == "昭通市")
                #expect(multimedia(total)?["cv"] is NSNull)
                #expect(rounded(multimedia(total)?["value"]) == 2.6)

                let one = try await client.call(.get, path + "&county=%E4%B9%99%E5%8E%BF", token: h.adminToken)
                #expect(one.status == .ok, "\(one.text)")
                #expect(one.json["counties"] == nil)
                #expect((one.json["county"] as? [String: Any])?["name"] as? String == "乙县")
                #expect((one.json["schools"] as? [[String: Any]])?.map { $0["school_id"] as? String } == ["B1", "B2"])
                #expect(rounded(multimedia(one.json["county"])?["cv"]) == 0.308)

                let unknown = try await client.call(.get, path + "&county=%E4%B8%99%E5%8E%BF", token: h.adminToken)
                #expect(unknown.status == .notFound)
                #expect(unknown.error?.message.contains("query 'county': no school in county '丙县' (counties: 甲县, 乙县)") == true)
                let empty = try await client.call(.get, path + "&county=", token: h.adminToken)
                #expect(empty.status == .badRequest)

                // A school admin sees its own row only: no county rows, no prefecture total.
                let a1 = try await client.token(.schoolAdmin, school: "A1", admin: h.adminToken)
                let mine = try await client.call(.get, path, token: a1)
                #expect(mine.status == .ok, "\(mine.text)")
                #expect(mine.json["counties"] == nil)
                #expect(mine.json["prefecture"] == nil)
                #expect((mine.json["county"] as? [String: Any])?["townships"] == nil)
                #expect((mine.json["schools"] as? [[String: Any]])?.map { $0["school_id"] as? String } == ["A1"])
            }
        }
    }
}

/// A `county_admin` token (one county of a prefecture collector): its county's coverage only, and
/// the prefecture-wide routes refused rather than answered for the whole prefecture.
@Suite("Coverage API: county_admin")
struct CountyAdminTests {
    static func token(_ store: any CollectorStore, county: String) async throws -> String {
        let secret = Secrets.make(prefix: SecretPrefix.operatorToken)
        try await store.insertOperatorToken(
            OperatorTokenRecord(
                id: Secrets.newID(), name: "county \(county)", role: .countyAdmin, schoolID: nil,
                secretHash: Secrets.hash(secret), createdAt: 0, createdBy: "test", county: county),
            audit: CoveragePrefectureRouteTests.audit)
        return secret
    }

    @Test(arguments: StoreKind.allCases) func seesItsCountyOnly(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            _ = try await store.replaceRegistry(
                CoveragePrefectureRouteTests.registry(), audit: CoveragePrefectureRouteTests.audit)
            let yi = try await Self.token(store, county: "乙县")
            #expect(try await store.operatorToken(secretHash: Secrets.hash(yi))?.county == "乙县")
            try await h.application().test(.router) { client in
                let path = "/api/v1/coverage?profile=zhaotong-2025&basis=declared&at=2026-10-09"
                let mine = try await client.call(.get, path, token: yi)
                #expect(mine.status == .ok, "\(mine.text)")
                #expect(mine.json["scope"] as? String == "county:乙县")
                #expect(mine.json["counties"] == nil)
                #expect(mine.json["prefecture"] == nil)
                #expect((mine.json["schools"] as? [[String: Any]])?.map { $0["school_id"] as? String } == ["B1", "B2"])
                let cv =
                    ((mine.json["county"] as? [String: Any])?["indicators"] as? [[String: Any]])?.first {
                        $0["key"] as? String == "multimedia_classrooms_per_100_students" && $0["stage"] as? String == "primary"
                    }?["cv"] as? Double
                #expect(cv.map { ($0 * 1000).rounded() / 1000 } == 0.308)
                // Naming its own county is fine; the other county is 403.
                #expect(try await client.call(.get, path + "&county=%E4%B9%99%E5%8E%BF", token: yi).status == .ok)
                let other = try await client.call(.get, path + "&county=%E7%94%B2%E5%8E%BF", token: yi)
                #expect(other.status == .forbidden)
                #expect(other.error?.message.contains("county '甲县' is not yours") == true)
                let trend = try await client.call(.get, path + "&from=2026-10-01&to=2026-10-09", token: yi)
                #expect(trend.status == .ok, "\(trend.text)")
                #expect(trend.json["scope"] as? String == "county:乙县")
                // Token administration refuses the role (the reads are scoped to its county:
                // CountyAdminRouteTests, CountyAdminFigureRouteTests).
                let tokens = try await client.call(.get, "/api/v1/tokens", token: yi)
                #expect(tokens.status == .forbidden, "\(tokens.text)")
                // The API does not mint county admins (no county field yet): the server's CLI does.
                let minted = try await client.call(
                    .post, "/api/v1/tokens", token: h.adminToken, json: ["role": "county_admin", "name": "x"])
                #expect(minted.status == .badRequest || minted.status == .forbidden, "\(minted.text)")
            }
        }
    }
}
