import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

/// A prefecture of two counties (甲县: A1, A2; 乙县: B1, B2): a `county_admin` of 乙县 reads the
/// devices, spot-check orders and alerts of its county's schools only, is refused another county's
/// school or device, and writes nothing; `county=` narrows the lists of every role.
@Suite("County admin: every read route scoped to its county")
struct CountyAdminRouteTests {
    static let week = "2026-W41"

    /// A device in A1 and one in B1, a `now` order and an open alert in each of A1 and B1.
    static func seed(_ client: some TestClientProtocol, _ store: any CollectorStore, admin: String) async throws -> (
        a: String, b: String
    ) {
        _ = try await store.replaceRegistry(
            CoveragePrefectureRouteTests.registry(), audit: CoveragePrefectureRouteTests.audit)
        let a = try await client.enroll(room: "A1-1", school: "A1", admin: admin).deviceID
        let b = try await client.enroll(room: "B1-1", school: "B1", admin: admin).deviceID
        try await seedOrdersAndAlerts(store, devices: [("A1", a), ("B1", b)])
        return (a, b)
    }

    /// A `now` order and an open agent_offline alert per (school, device).
    static func seedOrdersAndAlerts(_ store: any CollectorStore, devices: [(String, String)]) async throws {
        for (school, device) in devices {
            try await store.insertSpotCheckOrder(
                SpotCheckOrderRecord(
                    id: "\(week)-now-\(school)", week: week, source: "now", position: 0, round: 1, teacherID: "T-\(school)",
                    teacherName: "老师\(school)", schoolID: school, roomID: "\(school)-1", weekday: 2, startMinute: 600,
                    endMinute: 640, subject: "语文", lessonStart: 1_791_000_000_000, lessonEnd: 1_791_002_400_000, createdAt: 0),
                audit: CoveragePrefectureRouteTests.audit)
            var plan = AlertPlan()
            plan.opens = [
                AlertCondition(
                    kind: .agentOffline, schoolID: school, deviceID: device, roomID: "\(school)-1", detail: "offline",
                    chineseDetail: "离线")
            ]
            _ = try await store.applyAlertPlan(plan, channels: [], at: 1_790_000_000_000)
        }
    }

    static func ids(_ answer: Answer, _ list: String, _ key: String) -> [String] {
        ((answer.json[list] as? [[String: Any]]) ?? []).compactMap { $0[key] as? String }.sorted()
    }

    static func orderSchools(_ answer: Answer) -> [String] {
        ((answer.json["results"] as? [[String: Any]]) ?? []).compactMap {
            ($0["order"] as? [String: Any])?["school_id"] as? String
        }.sorted()
    }

    @Test("lists filtered, another county's school or device 403, no write", arguments: StoreKind.allCases)
    func scoped(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let (a, b) = try await Self.seed(client, store, admin: h.adminToken)
                let yi = try await CountyAdminTests.token(store, county: "乙县")

                let devices = try await client.call(.get, "/api/v1/devices", token: yi)
                #expect(devices.status == .ok, "\(devices.text)")
                #expect(Self.ids(devices, "devices", "id") == [b])
                #expect(try await client.call(.get, "/api/v1/devices/\(b)", token: yi).status == .ok)
                let other = try await client.call(.get, "/api/v1/devices/\(a)", token: yi)
                #expect(other.status == .forbidden)
                #expect(other.error?.message.contains("another county's school") == true, "\(other.text)")
                let otherSchool = try await client.call(.get, "/api/v1/devices?school_id=A1", token: yi)
                #expect(otherSchool.status == .forbidden)
                #expect(otherSchool.error?.message.contains("school 'A1' is not in your county") == true)
                #expect(
                    Self.ids(try await client.call(.get, "/api/v1/devices?school_id=B1", token: yi), "devices", "id") == [b])

                let alerts = try await client.call(.get, "/api/v1/alerts", token: yi)
                #expect(alerts.status == .ok, "\(alerts.text)")
                #expect(Self.ids(alerts, "alerts", "school_id") == ["B1"])
                #expect(try await client.call(.get, "/api/v1/alerts?school=A1", token: yi).status == .forbidden)

                let results = try await client.call(.get, "/api/v1/spotcheck/weeks/\(Self.week)/results", token: yi)
                #expect(results.status == .ok, "\(results.text)")
                #expect(Self.orderSchools(results) == ["B1"])
                #expect(results.json["hidden"] == nil)
                let week = try await client.call(.get, "/api/v1/spotcheck/weeks/\(Self.week)", token: yi)
                #expect(
                    ((week.json["orders"] as? [[String: Any]]) ?? []).compactMap { $0["school_id"] as? String } == ["B1"],
                    "\(week.text)")
                let notice = try await client.call(.get, "/api/v1/spotcheck/weeks/\(Self.week)/notice", token: yi)
                #expect(notice.status == .ok, "\(notice.text)")
                #expect(Self.ids(notice, "schools", "id") == ["B1"])
                #expect(notice.json["county"] as? String == "乙县")

                // Another county by name is 403; token administration and every write refuse the role.
                let jia = try await client.call(.get, "/api/v1/devices?county=%E7%94%B2%E5%8E%BF", token: yi)
                #expect(jia.status == .forbidden)
                #expect(jia.error?.message.contains("county '甲县' is not yours") == true)
                for refused in ["/api/v1/tokens", "/api/v1/patrol"] {
                    #expect(try await client.call(.get, refused, token: yi).status == .forbidden, "\(refused)")
                }
                for write in ["/api/v1/devices/\(b)/revoke", "/api/v1/devices/\(b)/rotate"] {
                    #expect(try await client.call(.post, write, token: yi).status == .forbidden, "\(write)")
                }
                #expect(try await store.device(id: b)?.revokedAt == nil)
            }
        }
    }

    @Test("county= narrows every list; an unknown county is a 404 naming the counties", arguments: StoreKind.allCases)
    func countyFilter(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let (a, b) = try await Self.seed(client, store, admin: h.adminToken)
                let admin = h.adminToken
                let jia = "county=%E7%94%B2%E5%8E%BF"
                #expect(
                    Self.ids(try await client.call(.get, "/api/v1/devices", token: admin), "devices", "id") == [a, b].sorted())
                #expect(Self.ids(try await client.call(.get, "/api/v1/devices?\(jia)", token: admin), "devices", "id") == [a])
                #expect(
                    Self.ids(try await client.call(.get, "/api/v1/alerts?\(jia)", token: admin), "alerts", "school_id") == ["A1"])
                let results = try await client.call(.get, "/api/v1/spotcheck/weeks/\(Self.week)/results?\(jia)", token: admin)
                #expect(Self.orderSchools(results) == ["A1"])
                let notice = try await client.call(.get, "/api/v1/spotcheck/weeks/\(Self.week)/notice?\(jia)", token: admin)
                #expect(Self.ids(notice, "schools", "id") == ["A1"])
                // A school of the other county and county= together: nothing, not an error.
                let none = try await client.call(.get, "/api/v1/devices?school_id=B1&\(jia)", token: admin)
                #expect(none.status == .ok)
                #expect(Self.ids(none, "devices", "id").isEmpty)
                // A school admin keeps its own school whatever the county asked.
                let b1 = try await client.token(.schoolAdmin, school: "B1", admin: admin)
                #expect(Self.ids(try await client.call(.get, "/api/v1/devices?\(jia)", token: b1), "devices", "id").isEmpty)

                for path in [
                    "/api/v1/devices", "/api/v1/alerts", "/api/v1/spotcheck/weeks/\(Self.week)/results",
                    "/api/v1/spotcheck/weeks/\(Self.week)", "/api/v1/spotcheck/weeks/\(Self.week)/notice",
                ] {
                    let unknown = try await client.call(.get, path + "?county=%E4%B8%99%E5%8E%BF", token: admin)
                    #expect(unknown.status == .notFound, "\(path): \(unknown.text)")
                    #expect(
                        unknown.error?.message.contains("query 'county': no school in county '丙县' (counties: 甲县, 乙县)") == true,
                        "\(path): \(unknown.text)")
                    #expect(try await client.call(.get, path + "?county=", token: admin).status == .badRequest, "\(path)")
                }
            }
        }
    }
}
