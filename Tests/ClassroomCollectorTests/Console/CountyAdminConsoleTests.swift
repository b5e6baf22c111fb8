import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Testing

/// A county admin signed in with its token sees the overview, devices, alerts and spot-check pages
/// of its own county's schools only; another county's device is 404 and the prefecture-wide pages
/// (schools, admin) are refused.
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
                #expect(!overview.body.contains("href=\"/schools\""))
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
                for page in ["/schools", "/admin", "/patrol", "/recordings"] {
                    let answer = try await browser.get(page)
                    #expect(answer.status == .forbidden || answer.status == .notFound, "\(page): \(answer.status)")
                }
            }
        }
    }
}
