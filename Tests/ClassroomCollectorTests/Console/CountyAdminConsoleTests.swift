import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

/// A county admin signed in with its token sees the overview, schools, devices, alerts, spot-check,
/// notice and observation pages of its own county's schools only; another county's school or device
/// is 404, and the administration page and lesson video (patrol, recordings, watch page) are refused.
@Suite struct CountyAdminConsoleTests {
    @Test func countyAdminSeesItsCountyPages() async throws {
        try await withStore(.sqlite) { store in
            let harness = try await ConsoleHarness.make(store)
            try await harness.application().test(.router) { client in
                let (a, b) = try await CountyAdminRouteTests.seed(client, store, admin: harness.base.adminToken)
                let token = try await CountyAdminTests.token(store, county: "乙县")
                let browser = ConsoleTestClient(client)
                let signedIn = try await browser.signIn([("token", token)])
                #expect(signedIn.status == .seeOther)
                #expect(browser.cookies["cf_session"] != nil)

                let overview = try await browser.get("/")
                #expect(overview.status == .ok, "\(overview.body.prefix(300))")
                #expect(overview.body.contains("href=\"/devices\"") && overview.body.contains("href=\"/alerts\""))
                #expect(overview.body.contains("href=\"/schools\""))
                #expect(!overview.body.contains("href=\"/recordings\"") && !overview.body.contains("href=\"/patrol\""))
                let devices = try await browser.get("/devices")
                #expect(devices.status == .ok)
                #expect(devices.body.contains(b) && !devices.body.contains(a))
                #expect(try await browser.get("/devices/\(b)").status == .ok)
                #expect(try await browser.get("/devices/\(a)").status == .notFound)
                let alerts = try await browser.get("/alerts")
                #expect(alerts.status == .ok)
                #expect(alerts.body.contains(b) && !alerts.body.contains(a))
                let spot = try await browser.get("/spotchecks?week=\(CountyAdminRouteTests.week)")
                #expect(spot.status == .ok)
                #expect(spot.body.contains("老师B1") && !spot.body.contains("老师A1"))
                let schools = try await browser.get("/schools")
                #expect(schools.status == .ok, "\(schools.body.prefix(300))")
                #expect(schools.body.contains("B1小学") && schools.body.contains("B2小学") && !schools.body.contains("A1小学"))
                #expect(try await browser.get("/schools/B2").status == .ok)
                #expect(try await browser.get("/schools/A2").status == .notFound)
                #expect(try await browser.get("/schools?county=%E7%94%B2%E5%8E%BF").status == .notFound)
                let notice = try await browser.get("/spotchecks/\(CountyAdminRouteTests.week)/notice")
                #expect(notice.status == .ok)
                #expect(notice.body.contains("B1小学") && !notice.body.contains("A1小学"))
                #expect(try await browser.get("/observation").status == .ok)
                // Video stays the watchers': recordings, patrol and the watch page are refused.
                for page in ["/admin", "/patrol", "/recordings", "/lessons/\(CountyAdminRouteTests.week)-now-B1"] {
                    let answer = try await browser.get(page)
                    #expect(answer.status == .forbidden || answer.status == .notFound, "\(page): \(answer.status)")
                }
            }
        }
    }
}

extension CountyAdminConsoleTests {
    /// `county=` on the schools page narrows a bureau admin's list; an unknown county is 404.
    @Test func schoolsPageCountyFilter() async throws {
        try await withStore(.sqlite) { store in
            let harness = try await ConsoleHarness.make(store)
            try await harness.application().test(.router) { client in
                _ = try await CountyAdminRouteTests.seed(client, store, admin: harness.base.adminToken)
                let browser = ConsoleTestClient(client)
                _ = try await browser.signIn([("token", harness.base.adminToken)])
                let all = try await browser.get("/schools")
                #expect(all.status == .ok)
                #expect(all.body.contains("A1小学") && all.body.contains("B1小学"))
                let jia = try await browser.get("/schools?county=%E7%94%B2%E5%8E%BF")
                #expect(jia.status == .ok)
                #expect(jia.body.contains("A1小学") && jia.body.contains("A2小学") && !jia.body.contains("B1小学"))
                #expect(jia.body.contains("county=%E7%94%B2%E5%8E%BF"))
                #expect(try await browser.get("/schools?county=%E4%B8%99%E5%8E%BF").status == .notFound)
            }
        }
    }
}
