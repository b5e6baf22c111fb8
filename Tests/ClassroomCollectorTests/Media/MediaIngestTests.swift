import ClassroomTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real `classroom-collector serve` deciding, through its hooks, what the real nginx-rtmp (the
/// shipped configuration) accepts from a plain ffmpeg publisher: only the ordered key, inside its
/// lesson window, once, and only when nginx knows the hook secret.
@Suite("media ingest with the real collector and nginx-rtmp")
struct MediaIngestTests {
    @Test(
        "the ordered key streams and is recorded; forged, replayed, wrong-secret and late keys are refused",
        arguments: StoreKind.allCases)
    func ingest(kind: StoreKind) async throws {
        let dir = try TestProcess.temporaryDirectory("media-ingest")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await withCollectorDatabase(kind, in: dir) { database in
            let fixture = try await MediaIngestFixture.start(in: dir, database: database)
            defer { fixture.stop() }
            let s1 = try await fixture.enrollDevice(room: "S1-REC", school: "S1")
            let s2 = try await fixture.enrollDevice(room: "S2-REC", school: "S2")
            let (orderA, keyA) = try await fixture.orderNow(school: "S1", device: s1)
            let (orderB, keyB) = try await fixture.orderNow(school: "S2", device: s2)
            #expect(keyA.hasPrefix("cfk_") && keyA != keyB)

            // The right key inside its window: accepted, recorded with video, start and end on the collector.
            let accepted = try MediaServerProcess.publish(to: fixture.media.url(key: keyA), seconds: 4)
            #expect(accepted.status == 0, "\(accepted.stderr)\n\(fixture.media.errorLog())")
            let recording = fixture.media.recording(order: orderA)
            let probe = try MediaServerProcess.probe(recording)
            #expect(probe.streams.contains("video") && probe.streams.contains("audio"), "\(probe.streams)")
            #expect(probe.duration > 2, "recorded \(probe.duration) s of a 4 s stream")
            // Renamed by the collector's redirect: HLS and the recording carry the order, never the key;
            // the shipped HTTP site gives a signed-out browser no playlist and no fragment.
            let hls = fixture.media.hls(stream: "lesson-\(orderA)")
            #expect(FileManager.default.fileExists(atPath: hls.appending(path: "index.m3u8").path), "\(fixture.media.errorLog())")
            let streams = try FileManager.default.contentsOfDirectory(atPath: fixture.media.directory.appending(path: "hls").path)
            #expect(!streams.contains { $0.contains(keyA) } && !streams.isEmpty, "\(streams)")
            let site = try #require(fixture.media.site)
            for file in ["index.m3u8", "0.ts"] {
                let (_, answer) = try await URLSession.shared.data(
                    from: URL(string: "\(site)/media/hls/lesson-\(orderA)/\(file)")!)
                #expect((answer as? HTTPURLResponse)?.statusCode == 401, "\(file): \(answer)")
            }
            var a = try await fixture.result(orderA)
            for _ in 0..<50 where a.row["publish_ended_at"] == nil {
                try await Task.sleep(for: .milliseconds(200))
                a = try await fixture.result(orderA)
            }
            let started = try #require(a.row["publish_started_at"] as? Int64)
            let ended = try #require(a.row["publish_ended_at"] as? Int64, "on_publish_done never reached the collector")
            #expect(ended - started >= 3_000, "publish from \(started) to \(ended)")
            #expect(a.status == "partial", "4 s of a 31-minute lesson: \(a)")

            // The same key again (replay): refused by nginx, nothing overwritten, the first publish kept.
            let size = try recording.resourceValues(forKeys: [.fileSizeKey]).fileSize
            let replay = try MediaServerProcess.publish(to: fixture.media.url(key: keyA), seconds: 2)
            #expect(replay.status != 0, "a replayed key was accepted")
            #expect(try recording.resourceValues(forKeys: [.fileSizeKey]).fileSize == size)
            #expect(try await fixture.result(orderA).row["publish_started_at"] as? Int64 == started)

            // A forged key: refused, nothing recorded.
            let forgedKey = "cfk_" + String(repeating: "A", count: 43)
            let forged = try MediaServerProcess.publish(to: fixture.media.url(key: forgedKey), seconds: 2)
            #expect(forged.status != 0, "a forged key was accepted")
            #expect(!FileManager.default.fileExists(atPath: fixture.media.recording(key: forgedKey).path))

            // nginx configured with a wrong secret: every publish refused, the valid key not used up.
            let wrongSecret = try MediaServerProcess(collector: fixture.collector.base, secret: "not-the-secret")
            let refused = try MediaServerProcess.publish(to: wrongSecret.url(key: keyB), seconds: 2)
            wrongSecret.stop()
            #expect(refused.status != 0, "a media server with a wrong secret got a stream accepted")
            #expect(try await fixture.result(orderB).row["publish_started_at"] == nil)
            for secret in ["not-the-secret", ""] {
                let hook = try await Self.hook(fixture.collector.base, "on_publish", secret: secret, key: keyB)
                #expect(hook.status == 403 && hook.body.contains("secret"), "\(hook)")
            }
            let done = try await Self.hook(fixture.collector.base, "on_publish_done", secret: "x", key: keyB)
            #expect(done.status == 403)

            // Key B after its lesson ended (grace 0): outside its window, refused.
            while Int64(Date().timeIntervalSince1970 * 1000) <= fixture.shortLessonEnd + 500 {
                try await Task.sleep(for: .milliseconds(500))
            }
            let late = try MediaServerProcess.publish(to: fixture.media.url(key: keyB), seconds: 2)
            #expect(late.status != 0, "a key outside its lesson window was accepted")
            #expect(!FileManager.default.fileExists(atPath: fixture.media.recording(key: keyB).path))
            let b = try await fixture.result(orderB)
            #expect(b.row["publish_started_at"] == nil)
            #expect(b.status == "device_offline" || b.status == "not_conducted", "\(b)")
            #expect(fixture.media.errorLog().contains("notify: publish"), "nginx never called the hooks")
        }
    }

    /// An nginx-rtmp style callback sent straight to the collector.
    static func hook(_ base: String, _ name: String, secret: String, key: String) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "\(base)/api/v1/media/\(name)?secret=\(secret)")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("call=publish&app=live&name=\(key)&addr=127.0.0.1".utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
