import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `classroomctl coverage report` without --registry: the real CLI against the real collector.
@Suite("classroomctl coverage from a collector")
struct ClassroomctlCoverageTests {
    static let profiles = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/profiles").path

    func get(_ server: RunningCollector, _ path: String, token: String) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: server.base + path)!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// Enrolls a device in R1 and posts a display + touchscreen inventory through the agent API.
    func agentReports(_ server: RunningCollector) async throws {
        let (_, created) = try await server.call(
            "POST", "/api/v1/enrollment-tokens", json: ["school_id": "S1", "max_uses": 1, "expires_in_seconds": 600])
        let token = try #require(created["token"] as? String)
        var enroll = URLRequest(url: URL(string: server.base + AgentRoutes.enroll)!)
        enroll.httpMethod = "POST"
        enroll.setValue("application/json", forHTTPHeaderField: "Content-Type")
        enroll.httpBody = try JSONEncoder().encode(
            EnrollRequest(
                token: token, roomID: "R1", publicKey: Data(repeating: 3, count: 32).base64EncodedString(), hostname: "pc-r1",
                agentVersion: "0.1.0"))
        let (enrolled, _) = try await URLSession.shared.data(for: enroll)
        let device = try JSONDecoder().decode(EnrollResponse.self, from: enrolled)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var events = URLRequest(url: URL(string: server.base + AgentRoutes.events)!)
        events.httpMethod = "POST"
        events.setValue("application/json", forHTTPHeaderField: "Content-Type")
        events.setValue("Bearer \(device.credential)", forHTTPHeaderField: "Authorization")
        events.httpBody = try JSONEncoder().encode(
            EventBatch(
                sentAt: now,
                events: [AgentEvent(seq: 1, at: now, body: .inventorySnapshot(CoverageRouteTests.inventory(touch: true)))]))
        let (_, answer) = try await URLSession.shared.data(for: events)
        #expect((answer as? HTTPURLResponse)?.statusCode == 200)
    }

    @Test("JSON identical to the API's; table and CSV rendered from it; errors name the collector's answer")
    func fromCollector() async throws {
        let dir = try TestProcess.temporaryDirectory("ctl-coverage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await RunningCollector.start(in: dir, serveArguments: ["--profiles-dir", Self.profiles])
        defer { server.stop() }
        _ = try await server.call(
            "PUT", "/api/v1/registry", json: ["files": TestRegistry.files().mapValues { Data($0).base64EncodedString() }])
        try await agentReports(server)
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": server.adminToken, "CLASSROOM_COLLECTOR": server.base, "XDG_CONFIG_HOME": dir.path]

        let json = try TestProcess.run(
            ctl, ["coverage", "report", "--profile", "national-quality-balance", "--format", "json"], environment: env)
        #expect(json.status == 0, "\(json.stderr)")
        let (status, api) = try await get(server, "/api/v1/coverage?profile=national-quality-balance", token: server.adminToken)
        #expect(status == 200)
        // The API answers a page of schools (here all of them) and says so; the CLI's report is whole.
        var whole = try CoverageJSON.decode(Array(api))
        #expect(whole.schoolsPage == SchoolsPage(offset: 0, limit: 1000, total: 2))
        whole.schoolsPage = nil
        #expect(json.stdout == String(decoding: try CoverageJSON.encode(whole), as: UTF8.self))
        // A page of one school a request: the CLI asks until it has both, the same report.
        let paged = try TestProcess.run(
            ctl,
            ["coverage", "report", "--profile", "national-quality-balance", "--format", "json", "--schools-per-request", "1"],
            environment: env)
        #expect(paged.status == 0, "\(paged.stderr)")
        #expect(paged.stdout == json.stdout)
        let object = try #require(try JSONSerialization.jsonObject(with: api) as? [String: Any])
        #expect(object["basis"] as? String == "verified")
        let s1 = try #require((object["schools"] as? [[String: Any]])?.first { $0["school_id"] as? String == "S1" })
        let sb = (s1["indicators"] as? [[String: Any]])?.first {
            $0["key"] as? String == "smart_blackboard_class_coverage" && $0["stage"] as? String == "primary"
        }
        #expect(sb?["numerator"] as? Double == 1)

        let csv = try TestProcess.run(
            ctl, ["coverage", "report", "--profile", "national-quality-balance", "--format", "csv"], environment: env)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("\u{FEFF}"))
        #expect(!csv.stderr.contains("not measured"), "\(csv.stderr)")
        let table = try TestProcess.run(
            ctl, ["coverage", "report", "--profile", "national-quality-balance", "--basis", "declared", "--lang", "en"],
            environment: env)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("鲁甸县"), "\(table.stdout)")

        let unknown = try TestProcess.run(ctl, ["coverage", "report", "--profile", "no-such-profile"], environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("404 not_found"), "\(unknown.stderr)")
        // Trend points from the collector: the CLI prints the API's JSON as is.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let from = formatter.string(from: Date().addingTimeInterval(-8 * 86_400))
        let trend = try TestProcess.run(
            ctl, ["coverage", "report", "--profile", "national-quality-balance", "--from", from, "--format", "json"],
            environment: env)
        #expect(trend.status == 0, "\(trend.stderr)")
        let (trendStatus, trendAPI) = try await get(
            server, "/api/v1/coverage?profile=national-quality-balance&from=\(from)", token: server.adminToken)
        #expect(trendStatus == 200)
        #expect(trend.stdout == String(decoding: trendAPI, as: UTF8.self))
        let points = try #require(
            (try JSONSerialization.jsonObject(with: trendAPI) as? [String: Any])?["points"] as? [[String: Any]])
        #expect(points.count >= 2)
        let last = (points.last?["indicators"] as? [[String: Any]])?.first {
            $0["key"] as? String == "smart_blackboard_class_coverage" && $0["stage"] as? String == "primary"
        }
        #expect(last?["numerator"] as? Double == 1)
        let trendTable = try TestProcess.run(
            ctl, ["coverage", "report", "--profile", "national-quality-balance", "--from", from, "--lang", "en"], environment: env
        )
        #expect(trendTable.status == 0, "\(trendTable.stderr)")
        #expect(trendTable.stdout.contains("Multimedia classrooms per 100 students"), "\(trendTable.stdout)")
        let reversed = try TestProcess.run(
            ctl, ["coverage", "report", "--profile", "luxi-2025", "--from", "2026-10-05", "--to", "2026-10-04"], environment: env)
        #expect(reversed.status == 1)
        #expect(reversed.stderr.contains("--from 2026-10-05 is after --to 2026-10-04"), "\(reversed.stderr)")
    }
}
