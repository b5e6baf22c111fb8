import ClassroomCollector
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

/// Minting a `county_admin` over `POST /api/v1/tokens` (the `county` field, checked against the
/// registry) and `classroomctl … --county` against the real collector.
@Suite("County admin: token creation and classroomctl --county")
struct CountyAdminTokenTests {
    @Test("county is required for county_admin, must be a county of the registry, and only for it", arguments: StoreKind.allCases)
    func create(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            _ = try await store.replaceRegistry(
                CoveragePrefectureRouteTests.registry(), audit: CoveragePrefectureRouteTests.audit)
            try await h.application().test(.router) { client in
                let admin = h.adminToken
                let made = try await client.call(
                    .post, "/api/v1/tokens", token: admin, json: ["role": "county_admin", "name": "乙县教育局", "county": "乙县"])
                #expect(made.status == .created, "\(made.text)")
                #expect(made.json["county"] as? String == "乙县")
                let secret = try #require(made.json["token"] as? String)
                #expect(try await store.operatorToken(secretHash: Secrets.hash(secret))?.county == "乙县")
                // The new token works at once, scoped to its county.
                #expect(try await client.call(.get, "/api/v1/alerts", token: secret).status == .ok)
                #expect(try await client.call(.get, "/api/v1/devices?school_id=A1", token: secret).status == .forbidden)

                for (body, message) in [
                    (["role": "county_admin", "name": "x"], "field 'county' is required for county_admin"),
                    (
                        ["role": "county_admin", "name": "x", "county": "丙县"],
                        "field 'county': no county '丙县' in the registry (counties: 甲县, 乙县)"
                    ),
                    (["role": "bureau_viewer", "name": "x", "county": "甲县"], "field 'county' is only for county_admin tokens"),
                ] {
                    let refused = try await client.call(.post, "/api/v1/tokens", token: admin, json: body)
                    #expect(refused.status == .badRequest, "\(body): \(refused.text)")
                    #expect(refused.error?.message.contains(message) == true, "\(body): \(refused.text)")
                }
                // A school admin may not mint one (never above itself), nor may the county admin.
                let a1 = try await client.token(.schoolAdmin, school: "A1", admin: admin)
                for token in [a1, secret] {
                    let answer = try await client.call(
                        .post, "/api/v1/tokens", token: token, json: ["role": "county_admin", "name": "x", "county": "甲县"])
                    #expect(answer.status == .forbidden, "\(answer.text)")
                }
                let tokens = try await client.call(.get, "/api/v1/tokens", token: admin)
                #expect(
                    ((tokens.json["tokens"] as? [[String: Any]]) ?? []).filter { $0["county"] as? String == "乙县" }.count == 1)
            }
        }
    }

    @Test("classroomctl token create --county, alerts/devices/spotcheck --county, a county admin's own view")
    func cli() async throws {
        let dir = try TestProcess.temporaryDirectory("ctl-county")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, store, ctl, env) = try await Self.twoCountyCollector(in: dir)
        defer { server.stop() }
        try await CountyAdminRouteTests.seedOrdersAndAlerts(store, devices: [("A1", "dA"), ("B1", "dB")])

        let jia = try TestProcess.run(ctl, ["alerts", "--county", "甲县"], environment: env)
        #expect(jia.status == 0, "\(jia.stderr)")
        #expect(jia.stdout.contains("  A1  ") && !jia.stdout.contains("  B1  "), "\(jia.stdout)")
        let results = try TestProcess.run(
            ctl, ["spotcheck", "results", "--week", CountyAdminRouteTests.week, "--county", "甲县", "--format", "csv"],
            environment: env)
        #expect(results.status == 0, "\(results.stderr)")
        #expect(results.stdout.contains(",A1,") && !results.stdout.contains(",B1,"), "\(results.stdout)")
        let unknown = try TestProcess.run(ctl, ["devices", "list", "--county", "丙县"], environment: env)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no school in county '丙县' (counties: 甲县, 乙县)"), "\(unknown.stderr)")

        let made = try TestProcess.run(
            ctl, ["token", "create", "--role", "county_admin", "--county", "乙县", "--name", "乙县教育局"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let secret = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix(SecretPrefix.operatorToken))
        var mine = env
        mine["CLASSROOM_TOKEN"] = secret
        let own = try TestProcess.run(ctl, ["alerts"], environment: mine)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.contains("  B1  ") && !own.stdout.contains("  A1  "), "\(own.stdout)")
        let other = try TestProcess.run(ctl, ["alerts", "--county", "甲县"], environment: mine)
        #expect(other.status != 0)
        #expect(other.stderr.contains("county '甲县' is not yours"), "\(other.stderr)")
        let noCounty = try TestProcess.run(
            ctl, ["token", "create", "--role", "county_admin", "--name", "x"], environment: env)
        #expect(noCounty.status != 0)
        #expect(noCounty.stderr.contains("field 'county' is required for county_admin"), "\(noCounty.stderr)")
    }

    @Test("classroomctl observation, patrol list and patrol views pass --county to the collector")
    func observationAndPatrolCounty() async throws {
        let dir = try TestProcess.temporaryDirectory("ctl-county-observe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, _, ctl, env) = try await Self.twoCountyCollector(in: dir)
        defer { server.stop() }
        let commands = [["observation", "--format", "json"], ["patrol", "list", "--json"], ["patrol", "views", "--json"]]
        for command in commands {
            let known = try TestProcess.run(ctl, command + ["--county", "甲县"], environment: env)
            #expect(known.status == 0, "\(command): \(known.stderr)")
            // The collector, not classroomctl, knows the counties: the option reached it.
            let unknown = try TestProcess.run(ctl, command + ["--county", "丙县"], environment: env)
            #expect(unknown.status != 0, "\(command)")
            #expect(unknown.stderr.contains("no school in county '丙县' (counties: 甲县, 乙县)"), "\(command): \(unknown.stderr)")
        }
        let observed = try TestProcess.run(ctl, ["observation", "--format", "json", "--county", "乙县"], environment: env)
        let report = try JSONSerialization.jsonObject(with: Data(observed.stdout.utf8)) as? [String: Any]
        #expect((report?["coverage"] as? [String: Any])?["schools"] as? Int == 2, "\(observed.stdout)")
        // A county admin may name only its own county (patrol is video: refused to it whatever the county).
        let made = try TestProcess.run(
            ctl, ["token", "create", "--role", "county_admin", "--county", "乙县", "--name", "乙县教育局"], environment: env)
        var mine = env
        mine["CLASSROOM_TOKEN"] = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for command in [["observation", "--format", "json"], ["patrol", "views", "--json"]] {
            let own = try TestProcess.run(ctl, command + ["--county", "乙县"], environment: mine)
            #expect(own.status == 0, "\(command): \(own.stderr)")
            let other = try TestProcess.run(ctl, command + ["--county", "甲县"], environment: mine)
            #expect(other.status != 0 && other.stderr.contains("403"), "\(command): \(other.stderr)")
        }
    }

    /// A real collector in `dir` with the two-county registry (甲县 A1 A2, 乙县 B1 B2), its store, and
    /// classroomctl with the environment of its bureau admin.
    static func twoCountyCollector(
        in dir: URL
    ) async throws -> (server: RunningCollector, store: CollectorSQLiteStore, ctl: URL, env: [String: String]) {
        let server = try await RunningCollector.start(in: dir)
        do {
            let store = try CollectorSQLiteStore(path: dir.appending(path: "collector.sqlite").path)
            try await store.migrate()
            _ = try await store.replaceRegistry(
                CoveragePrefectureRouteTests.registry(), audit: CoveragePrefectureRouteTests.audit)
            let env = ["CLASSROOM_TOKEN": server.adminToken, "CLASSROOM_COLLECTOR": server.base, "XDG_CONFIG_HOME": dir.path]
            return (server, store, try TestProcess.product("classroomctl"), env)
        } catch {
            server.stop()
            throw error
        }
    }
}
