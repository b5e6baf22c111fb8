import ClassroomTestSupport
import Foundation
import Testing

/// `classroomctl` against the real collector over HTTP: registry import, tokens, enrollment tokens, devices.
@Suite("classroomctl against a collector")
struct ClassroomctlCollectorTests {
    @Test("registry import: problems as FILE:LINE with exit 1 and nothing imported; then a valid import; tokens and devices")
    func importAndManage() async throws {
        let dir = try TestProcess.temporaryDirectory("ctl-collector")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await RunningCollector.start(in: dir)
        defer { server.stop() }
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": server.adminToken, "CLASSROOM_COLLECTOR": server.base, "XDG_CONFIG_HOME": dir.path]

        let bad = dir.appending(path: "bad")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        for (name, bytes) in TestRegistry.files() { try Data(bytes).write(to: bad.appending(path: name)) }
        try Data((TestRegistry.rooms + "\nR9,S1,坏教室,palace,primary,,").utf8).write(to: bad.appending(path: "rooms.csv"))
        let refused = try TestProcess.run(ctl, ["registry", "import", bad.path], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(bad.appending(path: "rooms.csv").path + ":5: kind:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("nothing was imported"))
        #expect(try await server.call("GET", "/api/v1/registry").1["schools"] as? Int == 0)

        let good = dir.appending(path: "good")
        try FileManager.default.createDirectory(at: good, withIntermediateDirectories: true)
        for (name, bytes) in TestRegistry.files() { try Data(bytes).write(to: good.appending(path: name)) }
        let imported = try TestProcess.run(ctl, ["registry", "import", good.path], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported: 2 schools, 3 rooms, 3 teachers, 3 lessons/week"))

        // Without a token: a clear error, exit 1.
        let noToken = try TestProcess.run(
            ctl, ["devices", "list"],
            environment: ["CLASSROOM_TOKEN": "", "CLASSROOM_COLLECTOR": server.base, "XDG_CONFIG_HOME": dir.path])
        #expect(noToken.status != 0)
        #expect(noToken.stderr.contains("no token"))

        let schoolAdmin = try TestProcess.run(
            ctl, ["token", "create", "--role", "school_admin", "--school", "S1", "--name", "龙树电教"], environment: env)
        #expect(schoolAdmin.status == 0, "\(schoolAdmin.stderr)")
        let s1Token = schoolAdmin.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(s1Token.hasPrefix("cfo_"))
        // The school admin cannot mint a bureau admin (403 from the collector, exit 1).
        let escalate = try TestProcess.run(
            ctl, ["token", "create", "--role", "bureau_admin", "--name", "x", "--token", s1Token], environment: env)
        #expect(escalate.status != 0)
        #expect(escalate.stderr.contains("403 forbidden"))

        // An expiring token: the answer carries expires_at a day ahead; a malformed or overflowing lifetime is refused.
        let expiring = try TestProcess.run(
            ctl, ["token", "create", "--role", "auditor", "--name", "督导", "--expires-in", "1d", "--json"], environment: env)
        #expect(expiring.status == 0, "\(expiring.stderr)")
        let expiringJSON = try JSONSerialization.jsonObject(with: Data(expiring.stdout.utf8)) as? [String: Any]
        let expiresAt = try #require(expiringJSON?["expires_at"] as? Int64)
        let dayAhead = Int64(Date().timeIntervalSince1970 * 1000) + 86_400_000
        #expect(abs(expiresAt - dayAhead) < 600_000)
        for bad in ["soon", "99999999999999999d", "0d"] {
            let refused = try TestProcess.run(
                ctl, ["token", "create", "--role", "auditor", "--name", "x", "--expires-in", bad], environment: env)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--expires-in"), "\(refused.stderr)")
        }

        let enrollToken = try TestProcess.run(
            ctl, ["enroll-token", "create", "--school", "S1", "--uses", "2", "--expires", "1d", "--token", s1Token],
            environment: env)
        #expect(enrollToken.status == 0, "\(enrollToken.stderr)")
        let secret = enrollToken.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("cfe_"))
        let enrolled = try await server.call(
            "POST", "/api/v1/agent/enroll", token: "",
            json: [
                "token": secret, "room_id": "R2", "public_key": Data(repeating: 5, count: 32).base64EncodedString(),
                "hostname": "luchu-pc", "agent_version": "0.1.0",
            ])
        #expect(enrolled.0 == 201)

        let devices = try TestProcess.run(ctl, ["devices", "list", "--school", "S1", "--json"], environment: env)
        #expect(devices.status == 0, "\(devices.stderr)")
        let list = try JSONSerialization.jsonObject(with: Data(devices.stdout.utf8)) as? [[String: Any]]
        #expect(list?.map { $0["hostname"] as? String } == ["luchu-pc"])
        #expect(list?.first?["online"] as? Bool == true)
        let offline = try TestProcess.run(ctl, ["devices", "list", "--offline"], environment: env)
        #expect(offline.stdout.contains("no devices"))
        // A second machine with the next package's agent: the first is now outdated (dpkg's order: ~ first).
        let newer = try await server.call(
            "POST", "/api/v1/agent/enroll", token: "",
            json: [
                "token": secret, "room_id": "R2", "public_key": Data(repeating: 6, count: 32).base64EncodedString(),
                "hostname": "luchu-pc2", "agent_version": "0.1.0+git20261204.ab12cd34",
            ])
        #expect(newer.0 == 201)
        let outdated = try TestProcess.run(ctl, ["devices", "list", "--outdated"], environment: env)
        #expect(outdated.status == 0, "\(outdated.stderr)")
        #expect(
            outdated.stdout.contains("luchu-pc  online  0.1.0\n") && !outdated.stdout.contains("luchu-pc2"), "\(outdated.stdout)")
        let badFilter = try await server.call("GET", "/api/v1/devices?outdated=maybe")
        #expect(badFilter.0 == 400 && (badFilter.1["message"] as? String)?.hasPrefix("query 'outdated'") == true, "\(badFilter)")

        let tokens = try TestProcess.run(ctl, ["token", "list", "--json"], environment: env)
        let all = try JSONSerialization.jsonObject(with: Data(tokens.stdout.utf8)) as? [[String: Any]] ?? []
        let id = try #require(all.first { $0["role"] as? String == "school_admin" }?["id"] as? String)
        #expect(try TestProcess.run(ctl, ["token", "revoke", id], environment: env).status == 0)
        let afterRevoke = try TestProcess.run(ctl, ["devices", "list", "--token", s1Token], environment: env)
        #expect(afterRevoke.status != 0)
        #expect(afterRevoke.stderr.contains("401"))
    }
}
