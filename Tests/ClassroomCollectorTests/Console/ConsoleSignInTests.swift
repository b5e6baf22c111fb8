import ClassroomCollector
import Foundation
import HummingbirdTesting
import Testing

/// Sign-in, sessions, CSRF and lockout through the real router, on both stores.
@Suite struct ConsoleSignInTests {
    @Test(arguments: StoreKind.allCases) func passwordAndTokenSignInOpenASessionAndSignOutEndsIt(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let harness = try await ConsoleHarness.make(store)
            try await harness.user("zhang", role: .bureauAdmin)
            try await harness.application().test(.router) { client in
                let browser = ConsoleTestClient(client)
                let first = try await browser.get("/")
                #expect(first.status == .seeOther)
                #expect(first.location == "/login?next=/")
                let signedIn = try await browser.signIn([("username", "zhang"), ("password", "correct horse")], next: "/admin")
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.location == "/admin")
                let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("cf_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                #expect(!cookie.contains("Secure"), "plain HTTP from an untrusted peer")
                let admin = try await browser.get("/admin")
                #expect(admin.status == .ok)
                #expect(admin.body.contains("zhang · 教育局管理员"))
                let csrf = try #require(admin.field("csrf"))
                let out = try await browser.post("/logout", [("csrf", csrf)])
                #expect(out.location == "/login?reason=signed_out")
                #expect(browser.cookies["cf_session"] == nil)
                // The old cookie no longer works either: the session is gone from the database.
                browser.cookies["cf_session"] = String(cookie.dropFirst("cf_session=".count).prefix { $0 != ";" })
                #expect(try await browser.get("/admin").status == .seeOther)

                let tokenBrowser = ConsoleTestClient(client)
                let viaToken = try await tokenBrowser.signIn([("token", harness.base.adminToken)])
                #expect(viaToken.location == "/")
                #expect(try await tokenBrowser.get("/admin").body.contains("bootstrap · 教育局管理员"))
            }
            let audit = try await store.auditLog(filter: AuditFilter(action: "console.*"), limit: 10, offset: 0)
            #expect(audit.map(\.action) == ["console.sign_in", "console.sign_out", "console.sign_in"])
            #expect(audit.last?.actor == "user:zhang")
        }
    }

    @Test func wrongPasswordsUnknownUsersAndBadTokensAreRefused() async throws {
        try await withStore(.sqlite) { store in
            let harness = try await ConsoleHarness.make(store)
            try await harness.user("li", role: .auditor)
            try await harness.application().test(.router) { client in
                let browser = ConsoleTestClient(client)
                for fields in [
                    [("username", "li"), ("password", "wrong password")],
                    [("username", "nobody"), ("password", "correct horse")],
                    [("token", "cfo_forged")],
                ] {
                    let page = try await browser.signIn(fields)
                    #expect(page.status == .unauthorized)
                    #expect(browser.cookies["cf_session"] == nil)
                }
                #expect(try await browser.signIn([("token", "cfo_forged")]).body.contains("令牌无效或已被吊销"))
            }
        }
    }

    @Test func aFormWithoutItsCSRFTokenIsRefused() async throws {
        try await withStore(.sqlite) { store in
            let harness = try await ConsoleHarness.make(store)
            try await harness.application().test(.router) { client in
                let browser = ConsoleTestClient(client)
                // The sign-in form itself: no csrf field, or one that does not match the cookie.
                _ = try await browser.get("/login")
                #expect(try await browser.post("/login", [("token", harness.base.adminToken)]).status == .forbidden)
                #expect(
                    try await browser.post("/login", [("csrf", "x"), ("token", harness.base.adminToken)]).status == .forbidden)
                try await browser.signIn([("token", harness.base.adminToken)])
                let refused = try await browser.post("/logout", [])
                #expect(refused.status == .forbidden)
                #expect(refused.body.contains("表单已失效"))
                #expect(
                    try await browser.post("/admin/tokens", [("csrf", "wrong"), ("name", "x"), ("role", "auditor")]).status
                        == .forbidden)
                // Still signed in, and nothing was created.
                #expect(try await browser.get("/admin").status == .ok)
                #expect(try await store.operatorTokens(schoolID: nil).count == 1)
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func fiveFailuresLockTheAddressForFifteenMinutes(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let harness = try await ConsoleHarness.make(store)
            try await harness.user("wang", role: .bureauViewer)
            try await harness.application().test(.router) { client in
                let browser = ConsoleTestClient(client)
                for _ in 1...4 {
                    #expect(try await browser.signIn([("username", "wang"), ("password", "not it!!")]).status == .unauthorized)
                }
                let fifth = try await browser.signIn([("username", "wang"), ("password", "not it!!")])
                #expect(fifth.body.contains("已被锁定"))
                // Locked: even the right password is not checked.
                let locked = try await browser.signIn([("username", "wang"), ("password", "correct horse")])
                #expect(locked.status == .tooManyRequests)
                #expect(browser.cookies["cf_session"] == nil)
                #expect(try await browser.get("/login").body.contains("disabled"))
                harness.clock.advance(seconds: 14 * 60)
                #expect(
                    try await browser.signIn([("username", "wang"), ("password", "correct horse")]).status == .tooManyRequests)
                harness.clock.advance(seconds: 2 * 60)
                let again = try await browser.signIn([("username", "wang"), ("password", "correct horse")])
                #expect(again.status == .seeOther)
            }
            let lockouts = try await store.auditLog(filter: AuditFilter(action: "console.lockout"), limit: 10, offset: 0)
            #expect(lockouts.count == 1)
            #expect(lockouts.first?.target == "address:unknown")
        }
    }

    @Test func anIdleSessionExpiresAndADisabledUserIsSignedOut() async throws {
        try await withStore(.sqlite) { store in
            let harness = try await ConsoleHarness.make(store)
            try await harness.user("zhao", role: .bureauAdmin)
            try await harness.application().test(.router) { client in
                let browser = ConsoleTestClient(client)
                try await browser.signIn([("username", "zhao"), ("password", "correct horse")])
                harness.clock.advance(seconds: 29 * 60)
                #expect(try await browser.get("/admin").status == .ok, "used within 30 minutes")
                harness.clock.advance(seconds: 29 * 60)
                #expect(try await browser.get("/admin").status == .ok, "idle time counts from the last use")
                harness.clock.advance(seconds: 31 * 60)
                let expired = try await browser.get("/admin")
                #expect(expired.location == "/login?next=/admin&reason=expired")
                #expect(try await browser.get("/login?reason=expired").body.contains("会话已过期"))

                try await browser.signIn([("username", "zhao"), ("password", "correct horse")])
                let user = try #require(try await store.consoleUser(username: "zhao"))
                try await ConsoleUsers(store: store).disable(user, actor: "test")
                #expect(try await browser.get("/admin").status == .seeOther)
            }
        }
    }
}
