import ClassroomCollector
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Crypto
import Foundation
import Testing

/// `classroomctl spotcheck …` against the real `classroom-collector serve` over HTTP.
@Suite("classroomctl spotcheck against a collector")
struct SpotCheckCLITests {
    @Test("draw prints the commitment only; list hides the names; results CSV; excuse; errors exit non-zero")
    func drawListResults() async throws {
        let dir = try TestProcess.temporaryDirectory("ctl-spotcheck")
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try await RunningCollector.start(in: dir)
        defer { server.stop() }
        let ctl = try TestProcess.product("classroomctl")
        let env = ["CLASSROOM_TOKEN": server.adminToken, "CLASSROOM_COLLECTOR": server.base, "XDG_CONFIG_HOME": dir.path]

        let files = TestRegistry.files().mapValues { Data($0).base64EncodedString() }
        #expect(try await server.call("PUT", "/api/v1/registry", json: ["files": files]).0 == 200)
        let (_, created) = try await server.call(
            "POST", "/api/v1/enrollment-tokens", json: ["school_id": "S1", "max_uses": 1, "expires_in_seconds": 3600])
        let key = Curve25519.Signing.PrivateKey()
        let (status, enrolled) = try await server.call(
            "POST", AgentRoutes.enroll, token: "",
            json: [
                "token": created["token"] as? String ?? "", "room_id": "R2", "hostname": "pc-r2", "agent_version": "0.1.0",
                "public_key": key.publicKey.rawRepresentation.base64EncodedString(),
            ])
        #expect(status == 201)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let inventory = HardwareInventory(
            cameras: [Camera(id: "cam", name: "Cam", devnode: "/dev/video0", vendorID: "1", modelID: "2", bus: "usb")],
            microphones: [AudioEndpoint(id: "mic", card: 1, device: 0, name: "Mic", pcm: "hw:1,0", devnode: "/dev/snd/x")])
        let batch = EventBatch(sentAt: now, events: [AgentEvent(seq: 1, at: now, body: .inventorySnapshot(inventory))])
        let uploaded = try await server.call(
            "POST", AgentRoutes.events, token: enrolled["credential"] as? String,
            json: try JSONSerialization.jsonObject(with: JSONEncoder().encode(batch)))
        #expect(uploaded.0 == 200)

        let zone = SpotCheckConfiguration.defaultZone
        let week = ISOWeek(containing: zone.localTime(of: Date()).date).next.description
        let draw = try TestProcess.run(
            ctl, ["spotcheck", "draw", "--week", week, "--count", "3", "--beacon", "b"], environment: env)
        #expect(draw.status == 0, "\(draw.stderr)")
        #expect(draw.stdout.contains("1 teacher(s) drawn"))
        #expect(draw.stdout.contains("commitment "))
        #expect(!draw.stdout.contains("T2"))
        let again = try TestProcess.run(ctl, ["spotcheck", "draw", "--week", week], environment: env)
        #expect(again.status != 0)
        #expect(again.stderr.contains("drawn already"))

        let list = try TestProcess.run(ctl, ["spotcheck", "list", "--week", week], environment: env)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("1 more, shown when their lesson starts"))
        #expect(!list.stdout.contains("T2"))

        let csv = try TestProcess.run(ctl, ["spotcheck", "results", "--week", week, "--format", "csv"], environment: env)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("\u{FEFF}order,school_id,room_id"))

        let excused = try TestProcess.run(
            ctl, ["spotcheck", "excuse", "\(week)-01", "--reason", "春游 school trip"], environment: env)
        #expect(excused.status == 0, "\(excused.stderr)")
        let table = try TestProcess.run(ctl, ["spotcheck", "results", "--week", week], environment: env)
        // Still secret until the lesson starts, excused or not.
        #expect(table.stdout.contains("1 more, shown when their lesson starts"), "\(table.stdout)")
        #expect(!table.stdout.contains("T2"))

        let verify = try TestProcess.run(ctl, ["spotcheck", "verify", "--week", week], environment: env)
        #expect(verify.status != 0)
        #expect(verify.stderr.contains("not been revealed"))
        let badWeek = try TestProcess.run(ctl, ["spotcheck", "list", "--week", "2026-48"], environment: env)
        #expect(badWeek.status != 0)
        #expect(badWeek.stderr.contains("ISO week"))
    }
}
