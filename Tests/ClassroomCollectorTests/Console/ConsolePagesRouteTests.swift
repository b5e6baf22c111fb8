import ClassroomCore
import ClassroomReports
import ClassroomWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// The console's content pages through the real router: who sees what (a school admin gets 404 for
/// another school's page and CSV), CSV bytes and headers, paging and filters, escaping, CSRF on the
/// device buttons, and the overview's figures against `/api/v1`.
@Suite("Console pages")
struct ConsolePagesRouteTests {
    static let audit = AuditEntry(at: 0, actor: "test", action: "test", target: "t", schoolID: nil, detail: "")

    /// A harness whose registry names school S2 `<script>…`, with `perSchool` devices in S1 and 2 in S2.
    static func harness(_ store: any CollectorStore, devicesInS1: Int = 3) async throws -> CollectorHarness {
        let h = try await CollectorHarness.make(store)
        var files = TestRegistry.files()
        let schools = String(decoding: files["schools.csv"]!, as: UTF8.self)
            .replacingOccurrences(of: "水磨中心小学", with: "<script>alert(1)</script>小学")
        files["schools.csv"] = Array(schools.utf8)
        _ = try await store.replaceRegistry(try RegistryLoader.load(files).registry, audit: audit)
        for (token, school) in [("t1", "S1"), ("t2", "S2")] {
            try await store.insertEnrollmentToken(
                EnrollmentTokenRecord(
                    id: token, schoolID: school, secretHash: token, maxUses: 1000, expiresAt: .max / 2, createdAt: 0,
                    createdBy: "t"), audit: audit)
        }
        for n in 0..<devicesInS1 {
            let id = String(format: "a%03d", n)
            _ = try await store.enroll(
                tokenHash: "t1", roomID: n % 2 == 0 ? "R1" : "R2",
                device: DeviceRecord(
                    id: id, schoolID: "S1", roomID: nil, hostname: "host-\(id)", agentVersion: "0.10.0", publicKey: "k",
                    credentialHash: "h\(id)", enrolledAt: 1), now: 1)
        }
        for id in ["b1", "b2"] {
            _ = try await store.enroll(
                tokenHash: "t2", roomID: "R3",
                device: DeviceRecord(
                    id: id, schoolID: "S2", roomID: nil, hostname: "host-\(id)", agentVersion: "0.9.0", publicKey: "k",
                    credentialHash: "h\(id)", enrolledAt: 1), now: 1)
        }
        return h
    }

    static func token(_ store: any CollectorStore, _ role: OperatorRole, school: String? = nil) async throws -> String {
        let secret = Secrets.make(prefix: SecretPrefix.operatorToken)
        try await store.insertOperatorToken(
            OperatorTokenRecord(
                id: Secrets.newID(), name: role.rawValue, role: role, schoolID: school, secretHash: Secrets.hash(secret),
                createdAt: 0, createdBy: nil), audit: audit)
        return secret
    }

    @Test("a school admin sees its own school only: another school's page, CSV and device are 404", arguments: StoreKind.allCases)
    func scope(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await Self.harness(store)
            let token = try await Self.token(store, .schoolAdmin, school: "S1")
            try await h.application().test(.router) { client in
                let s = try await ConsoleTestSession.signIn(client, token: token)
                #expect(try await s.get(client, "/schools/S1").status == .ok)
                for path in [
                    "/schools/S2", "/schools/S2?format=csv", "/devices/b1", "/devices?school=S2", "/devices/b1?format=csv",
                ] {
                    #expect(try await s.get(client, path).status == .notFound, "\(path)")
                }
                let list = try await s.get(client, "/schools")
                #expect(list.text.contains("龙树九年一贯制学校"))
                #expect(!list.text.contains("alert(1)"))
                let csv = try await s.get(client, "/schools?format=csv").text
                #expect(csv.contains("S1,"))
                #expect(!csv.contains("S2,"))
                let devices = try await s.get(client, "/devices?format=csv").text
                #expect(devices.contains("host-a000"))
                #expect(!devices.contains("host-b1"))
                // The revoke button of another school's device is 404 as well, and changes nothing.
                #expect(try await s.post(client, "/devices/b1/revoke", ["csrf": s.csrf]).status == .notFound)
                #expect(try await store.device(id: "b1")?.revokedAt == nil)
            }
        }
    }

    @Test("CSV downloads: UTF-8 with BOM, Chinese headers, one row per record", arguments: [StoreKind.sqlite])
    func csv(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await Self.harness(store)
            try await h.application().test(.router) { client in
                let s = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                let schools = try await s.get(client, "/schools?format=csv")
                #expect(schools.status == .ok)
                #expect(schools.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(schools.headers[.contentDisposition]?.contains("schools.csv") == true)
                #expect(Array(schools.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let lines = String(decoding: schools.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
                #expect(lines.first?.hasPrefix("学校代码,学校名称,乡镇,班级数") == true)
                #expect(lines.filter { !$0.isEmpty }.count == 3)
                let devices = try await s.get(client, "/devices?format=csv")
                #expect(String(decoding: devices.body.dropFirst(3), as: UTF8.self).hasPrefix("设备编号,主机名,学校"))
                #expect(
                    String(decoding: devices.body, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }.count
                        == 6)
                let english = try await s.get(client, "/spotchecks?format=csv&lang=en")
                #expect(String(decoding: english.body.dropFirst(3), as: UTF8.self).hasPrefix("Order,School"))
            }
        }
    }

    @Test("the device list pages by id and filters in the database", arguments: StoreKind.allCases)
    func paging(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await Self.harness(store, devicesInS1: 60)
            try await h.application().test(.router) { client in
                let s = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                let first = try await s.get(client, "/devices")
                #expect(first.status == .ok)
                #expect(first.text.contains("共 62 台设备符合条件"))
                #expect(first.text.components(separatedBy: "<a href=\"/devices/").count - 1 == 50)
                let next = try #require(first.text.range(of: "href=\"(/devices\\?after=[^\"]+)\"", options: .regularExpression))
                let href = String(first.text[next].dropFirst(6).dropLast(1)).replacingOccurrences(of: "&amp;", with: "&")
                #expect(href == "/devices?after=a049")
                let second = try await s.get(client, href)
                #expect(second.text.contains("host-a050"))
                #expect(!second.text.contains("host-a049<"))
                #expect(second.text.components(separatedBy: "<a href=\"/devices/").count - 1 == 12)
                let outdated = try await s.get(client, "/devices?outdated=1")
                #expect(outdated.text.contains("共 2 台设备符合条件"))
                #expect(outdated.text.contains("host-b1"))
                let school = try await s.get(client, "/devices?school=S2&offline=1")
                #expect(school.text.contains("共 2 台设备符合条件"))
            }
        }
    }

    @Test("names are escaped: a school called <script> renders as text", arguments: [StoreKind.sqlite])
    func escaping(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await Self.harness(store)
            try await h.application().test(.router) { client in
                let s = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                for path in ["/schools", "/schools/S2", "/devices", "/devices/b1"] {
                    let page = try await s.get(client, path)
                    #expect(page.status == .ok, "\(path)")
                    #expect(!page.text.contains("<script>alert(1)"), "\(path)")
                    #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;小学"), "\(path)")
                }
            }
        }
    }

    @Test("revoke and rotate: CSRF required, managers only, audited through the API's code", arguments: [StoreKind.sqlite])
    func deviceButtons(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await Self.harness(store)
            let viewerToken = try await Self.token(store, .bureauViewer)
            try await h.application().test(.router) { client in
                let viewer = try await ConsoleTestSession.signIn(client, token: viewerToken)
                #expect(!(try await viewer.get(client, "/devices/a000").text.contains("/devices/a000/revoke")))
                #expect(try await viewer.post(client, "/devices/a000/revoke", ["csrf": viewer.csrf]).status == .forbidden)
                let admin = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                #expect(try await admin.get(client, "/devices/a000").text.contains("/devices/a000/revoke"))
                #expect(try await admin.post(client, "/devices/a000/revoke", [:]).status == .forbidden)
                #expect(try await admin.post(client, "/devices/a000/revoke", ["csrf": "wrong"]).status == .forbidden)
                #expect(try await store.device(id: "a000")?.revokedAt == nil)
                let rotated = try await admin.post(client, "/devices/a001/rotate", ["csrf": admin.csrf])
                #expect(rotated.status == .ok)
                #expect(rotated.text.contains(SecretPrefix.deviceCredential))
                let revoked = try await admin.post(client, "/devices/a000/revoke", ["csrf": admin.csrf])
                #expect(revoked.status == .ok)
                #expect(try await store.device(id: "a000")?.revokedAt != nil)
                let log = try await store.auditLog(schoolID: "S1", limit: 10).map(\.action)
                #expect(log.contains("device.revoke"))
                #expect(log.contains("device.rotate"))
            }
        }
    }

    @Test("the overview shows the API's figures; verify refuses a tampered reveal", arguments: [StoreKind.sqlite])
    func overview(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await Self.harness(store)
            try await h.application().test(.router) { client in
                let api = try await client.call(.get, "/api/v1/coverage?profile=luxi-2025", token: h.adminToken)
                #expect(api.status == .ok)
                let devices = try await client.call(.get, "/api/v1/devices", token: h.adminToken)
                let count = (devices.json["devices"] as? [Any])?.count ?? -1
                let s = try await ConsoleTestSession.signIn(client, token: h.adminToken)
                let page = try await s.get(client, "/?profile=luxi-2025")
                #expect(page.status == .ok)
                #expect(page.text.contains("<span class=\"big\" id=\"devices-total\">\(count)</span>"))
                #expect(page.text.contains("<svg"))
                let report = try JSONDecoder().decode(CoverageReport.self, from: api.body)
                let labels = CoverageLabels(lang: .zh)
                for i in report.county.indicators where i.target != nil {
                    #expect(page.text.contains(">\(labels.value(of: i))<"), "\(i.key) \(i.stage)")
                }
                let verify = try await s.post(client, "/spotchecks/verify", ["csrf": s.csrf, "reveal": "{\"week\": 1}"])
                #expect(verify.status == .ok)
                #expect(verify.text.contains("核验未通过"))
                #expect(try await s.post(client, "/spotchecks/draw", ["week": "2026-W48"]).status == .forbidden)
            }
        }
    }
}
