import ClassroomCollector
import ClassroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The recording page and the MP4 through the real router: who gets what (signed out, another
/// school, roles that never see video), byte ranges, the view log, the states of a lesson without a
/// playable recording, and the disk section of `/recordings`.
@Suite("Recording pages")
struct RecordingPageTests {
    /// 10 000 bytes that differ at every offset mod 251, so a wrong range shows.
    static let bytes = Data((0..<10_000).map { UInt8($0 % 251) })

    static func readyRecording(_ fixture: RecordingFixture, order: String, school: String) async throws -> RecordingRecord {
        try FileManager.default.createDirectory(at: fixture.recordings, withIntermediateDirectories: true)
        let mp4 = fixture.recordings.appending(path: "\(order)-1.mp4")
        try bytes.write(to: mp4)
        let t = fixture.harness.clock.now
        let r = try #require(
            try await fixture.store.insertRecording(
                RecordingStart(orderID: order, schoolID: school, streamName: "k", sourcePath: "/in/\(order).flv"), at: t,
                audit: AuditEntry(at: t, actor: "media", action: "recording.receive", target: order, schoolID: school, detail: "")
            ))
        _ = try await fixture.store.finishRecording(
            id: r.id, path: mp4.path, bytes: Int64(bytes.count), durationMillis: 2_700_000, at: t)
        return try #require(try await fixture.store.recording(id: r.id))
    }

    /// GET with the browser's cookies and optional Range: status, headers, raw body.
    static func fetch(_ browser: ConsoleTestClient, _ path: String, range: String? = nil) async throws
        -> (status: HTTPResponse.Status, headers: HTTPFields, body: Data)
    {
        var headers: HTTPFields = [:]
        if !browser.cookies.isEmpty { headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let range { headers[.range] = range }
        let response = try await browser.client.execute(uri: path, method: .get, headers: headers, body: nil)
        return (response.status, response.headers, Data(buffer: response.body))
    }

    static func signedIn(_ client: some TestClientProtocol, _ user: String) async throws -> ConsoleTestClient {
        let browser = ConsoleTestClient(client)
        let page = try await browser.signIn([("username", user), ("password", "correct horse")])
        #expect(page.status == .seeOther, "sign-in of \(user): \(page.status)")
        return browser
    }

    @Test("who may watch; ranges 200/206/416; each playback is in the view log", arguments: StoreKind.allCases)
    func access(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let dir = try TestProcess.temporaryDirectory("recording-page")
            defer { try? FileManager.default.removeItem(at: dir) }
            let fixture = try await RecordingFixture.make(store, folder: dir)
            let recording = try await Self.readyRecording(fixture, order: "o-s1", school: "S1")
            for (name, role, school) in [
                ("obs", OperatorRole.observer, nil), ("head1", .schoolAdmin, "S1"), ("head2", .schoolAdmin, "S2"),
                ("viewer", .bureauViewer, nil), ("aud", .auditor, nil),
            ] as [(String, OperatorRole, String?)] {
                try await fixture.harness.user(name, role: role, school: school)
            }
            try await fixture.application().test(.router) { client in
                // Signed out: the page sends to sign-in, the MP4 is 401; no bytes either way.
                let anonymous = ConsoleTestClient(client)
                let page = try await anonymous.get("/lessons/o-s1/recording")
                #expect(page.status == .seeOther && page.location?.hasPrefix("/login?next=") == true)
                let media = try await Self.fetch(anonymous, "/lessons/o-s1/recording.mp4")
                #expect(media.status == .unauthorized && media.body.range(of: Self.bytes.prefix(64)) == nil)

                let observer = try await Self.signedIn(client, "obs")
                let shown = try await observer.get("/lessons/o-s1/recording")
                #expect(shown.status == .ok)
                #expect(
                    shown.body.contains("<video id=\"recording\" controls")
                        && shown.body.contains("src=\"/lessons/o-s1/recording.mp4\""))
                #expect(shown.body.contains("9.8 KB") && shown.body.contains("45:00") && shown.body.contains("张老师"))
                let expiry = fixture.configuration.recordings.expiry(of: recording.createdAt)
                let zone = fixture.configuration.spotcheck.zone
                let local = zone.localTime(of: Date(timeIntervalSince1970: Double(expiry) / 1000))
                #expect(shown.body.contains("\(local.date) \(local.time)"), "expiry \(local.date) missing")

                let whole = try await Self.fetch(observer, "/lessons/o-s1/recording.mp4")
                #expect(whole.status == .ok && whole.body == Self.bytes)
                #expect(whole.headers[.contentType] == "video/mp4" && whole.headers[.acceptRanges] == "bytes")
                for (header, range) in [
                    ("bytes=0-99", 0...99), ("bytes=5000-5099", 5000...5099), ("bytes=-100", 9900...9999),
                    ("bytes=9990-", 9990...9999),
                ] {
                    let part = try await Self.fetch(observer, "/lessons/o-s1/recording.mp4", range: header)
                    #expect(part.status == .partialContent, "\(header)")
                    #expect(part.headers[.contentRange] == "bytes \(range.lowerBound)-\(range.upperBound)/10000", "\(header)")
                    #expect(part.body == Self.bytes.subdata(in: range.lowerBound..<(range.upperBound + 1)), "\(header)")
                }
                for header in ["bytes=10000-", "bytes=20-10", "bytes=x-1"] {
                    let bad = try await Self.fetch(observer, "/lessons/o-s1/recording.mp4", range: header)
                    #expect(bad.status == .rangeNotSatisfiable && bad.headers[.contentRange] == "bytes */10000", "\(header)")
                    #expect(bad.body.isEmpty)
                }
                // All those requests within the idle gap: one view of the recording by the observer.
                let views = try await store.lessonViews(orderID: "o-s1")
                #expect(views.count == 1 && views.first?.start.viewer == "user:obs" && views.first?.start.mode == .recording)
                #expect(views.first?.start.schoolID == "S1" && views.first?.start.roomID == "R2")

                // The school's own principal watches; another school's gets 404 and no bytes.
                let head1 = try await Self.signedIn(client, "head1")
                #expect(try await head1.get("/lessons/o-s1/recording").status == .ok)
                #expect(try await Self.fetch(head1, "/lessons/o-s1/recording.mp4", range: "bytes=0-9").status == .partialContent)
                let head2 = try await Self.signedIn(client, "head2")
                #expect(try await head2.get("/lessons/o-s1/recording").status == .notFound)
                let other = try await Self.fetch(head2, "/lessons/o-s1/recording.mp4")
                #expect(other.status == .notFound && other.body.range(of: Self.bytes.prefix(64)) == nil)
                // Bureau viewers and auditors read figures, never video.
                for name in ["viewer", "aud"] {
                    let b = try await Self.signedIn(client, name)
                    #expect(try await b.get("/lessons/o-s1/recording").status == .forbidden, "\(name)")
                    let m = try await Self.fetch(b, "/lessons/o-s1/recording.mp4")
                    #expect(m.status == .forbidden && m.body.range(of: Self.bytes.prefix(64)) == nil, "\(name)")
                }
                #expect(try await observer.get("/lessons/o-nope/recording").status == .notFound)
                #expect(try await Self.fetch(observer, "/lessons/o-nope/recording.mp4").status == .notFound)
                let viewers = Set(try await store.lessonViews(orderID: "o-s1").map(\.start.viewer))
                #expect(viewers == ["user:obs", "user:head1"])
            }
        }
    }

    @Test("no recording, converting, deleted for lack of space: each says so; /recordings shows the disk to bureau admins")
    func states() async throws {
        try await withStore(.sqlite) { store in
            let dir = try TestProcess.temporaryDirectory("recording-states")
            defer { try? FileManager.default.removeItem(at: dir) }
            let fixture = try await RecordingFixture.make(store, folder: dir)
            try await fixture.harness.user("obs", role: .observer)
            try await fixture.harness.user("head1", role: .schoolAdmin, school: "S1")
            try await fixture.harness.user("chief", role: .bureauAdmin)
            try await fixture.application().test(.router) { client in
                let observer = try await Self.signedIn(client, "obs")
                #expect(try await observer.get("/lessons/o-s2/recording").body.contains("这节课没有录像"))
                #expect(try await observer.get("/lessons/o-s2/recording?lang=en").body.contains("This lesson has no recording"))
                #expect(try await Self.fetch(observer, "/lessons/o-s2/recording.mp4").status == .notFound)

                let t = fixture.harness.clock.now
                let pending = try #require(
                    try await store.insertRecording(
                        RecordingStart(orderID: "o-s2", schoolID: "S2", streamName: "k", sourcePath: "/in/a.flv"), at: t,
                        audit: AuditEntry(
                            at: t, actor: "m", action: "recording.receive", target: "o-s2", schoolID: "S2", detail: "")))
                let converting = try await observer.get("/lessons/o-s2/recording?lang=zh-CN")
                #expect(converting.body.contains("录像正在转换"))

                let ready = try await Self.readyRecording(fixture, order: "o-s1", school: "S1")
                _ = try await store.deleteRecording(
                    id: ready.id, reason: .diskPressure, at: t + 1_000,
                    audit: AuditEntry(
                        at: t, actor: "collector", action: "recording.delete", target: "r", schoolID: "S1", detail: ""))
                let deleted = try await observer.get("/lessons/o-s1/recording")
                #expect(deleted.body.contains("磁盘空间不足") && !deleted.body.contains("<video"))
                #expect(try await Self.fetch(observer, "/lessons/o-s1/recording.mp4").status == .notFound)

                let chief = try await Self.signedIn(client, "chief")
                let list = try await chief.get("/recordings")
                #expect(list.status == .ok)
                #expect(list.body.contains("id=\"recordings-disk\"") && list.body.contains("30 天"))
                #expect(!list.body.contains("无法读取"), "free space unavailable")
                #expect(list.body.contains("id=\"recordings-pressure-alert\""))
                #expect(list.body.contains("href=\"/lessons/o-s1/recording\""), "the disk-pressure deletion is listed")
                #expect(list.body.contains("href=\"/lessons/o-s2/recording\""), "the pending recording is listed")
                #expect(list.body.contains("href=\"/recordings\""), "the navigation shows the section")
                let english = try await chief.get("/recordings?lang=en")
                #expect(english.body.contains("Disk use") && english.body.contains("The disk is nearly full"))
                // A principal sees its own school's recordings and the alert, not the disk or other schools.
                let head1 = try await Self.signedIn(client, "head1")
                let own = try await head1.get("/recordings")
                #expect(own.status == .ok && !own.body.contains("recordings-disk") && !own.body.contains("o-s2"))
                #expect(own.body.contains("recordings-pressure-alert"))
                _ = pending
            }
        }
    }
}
