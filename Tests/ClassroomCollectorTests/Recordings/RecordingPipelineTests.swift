import ClassroomTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The whole recording path with real processes (heavy: nginx-rtmp from the shipped configuration,
/// ffmpeg, `classroom-collector serve`, headless Chromium): a called lesson streams, nginx records
/// it and reports on_record_done, the collector converts it to an MP4 of the stream's length, and
/// an observer plays it in the console; another school's principal and a signed-out browser get
/// no bytes.
@Suite("recording pipeline with nginx-rtmp, ffmpeg and Chromium", .serialized)
struct RecordingPipelineTests {
    @Test("a called lesson is recorded, converted and played in the console by an observer")
    func recordConvertPlay() async throws {
        let dir = try TestProcess.temporaryDirectory("recording-pipeline")
        defer { try? FileManager.default.removeItem(at: dir) }
        let mp4s = dir.appending(path: "mp4")
        try await withCollectorDatabase(.sqlite, in: dir) { database in
            let fixture = try await MediaIngestFixture.start(in: dir, database: database, grace: 300, recordings: mp4s)
            defer { fixture.stop() }
            let device = try await fixture.enrollDevice(room: "S1-REC", school: "S1")
            let (order, key) = try await fixture.orderNow(school: "S1", device: device)

            let published = try MediaServerProcess.publish(to: fixture.media.url(key: key), seconds: 6)
            #expect(published.status == 0, "\(published.stderr)\n\(fixture.media.errorLog())")

            // nginx closes the FLV, calls on_record_done; the collector converts it off the request.
            var mp4: URL?
            for _ in 0..<300 {
                let files = (try? FileManager.default.contentsOfDirectory(atPath: mp4s.path)) ?? []
                if let name = files.first(where: { $0.hasSuffix(".mp4") }) {
                    mp4 = mp4s.appending(path: name)
                    break
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            let file = try #require(mp4, "no MP4 appeared; nginx log:\n\(fixture.media.errorLog())")
            #expect(file.lastPathComponent.hasPrefix(order + "-"))
            let probe = try MediaServerProcess.probe(file)
            #expect(probe.streams.contains("video") && probe.streams.contains("audio"), "\(probe.streams)")
            #expect(probe.duration > 4 && probe.duration < 7.5, "MP4 of \(probe.duration) s from a 6 s stream")
            let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.appending(path: "media/record").path)) ?? []
            #expect(left.filter { $0.hasSuffix(".flv") }.isEmpty, "the converted FLV is still there: \(left)")
            #expect(fixture.media.errorLog().contains("record_done"), "nginx never called on_record_done")

            // Users: an observer (教研员), and the principal of the other school.
            let password = dir.appending(path: "password")
            try "correct horse\n".write(to: password, atomically: true, encoding: .utf8)
            for (name, role, school) in [("obs", "observer", nil), ("head2", "school_admin", "S2")] as [(String, String, String?)]
            {
                let made = try TestProcess.run(
                    try TestProcess.product("classroom-collector"),
                    ["user", "create", "--db", database, "--username", name, "--role", role, "--password-file", password.path]
                        + (school.map { ["--school", $0] } ?? []))
                #expect(made.status == 0, "\(made.stderr)")
            }

            let base = fixture.collector.base
            let page = "\(base)/lessons/\(order)/recording"
            let play = """
                (async () => {
                  const v = document.querySelector('#recording');
                  if (!v) return JSON.stringify({missing: true});
                  v.muted = true;
                  try { await v.play(); } catch (e) { return JSON.stringify({playError: String(e)}); }
                  const start = Date.now();
                  while (v.currentTime < 1.5 && !v.error && Date.now() - start < 30000) await new Promise(r => setTimeout(r, 100));
                  const q = v.getVideoPlaybackQuality();
                  return JSON.stringify({t: v.currentTime, w: v.videoWidth, h: v.videoHeight, frames: q.totalVideoFrames,
                    error: v.error ? v.error.code : 0});
                })()
                """
            let fetchStatus = """
                fetch('/lessons/\(order)/recording.mp4', {headers: {Range: 'bytes=0-99'}})
                  .then(async r => JSON.stringify({status: r.status, bytes: (await r.arrayBuffer()).byteLength}))
                """
            let shot = try TestOutput.directory("recordings").appending(path: "recording-player.png")
            let steps: [BrowserStep] = [
                // 0-2: signed out: the page sends to sign-in, the MP4 is refused.
                .open(page), .url, .evaluate(fetchStatus),
                // 3-8: the observer plays it.
                .open(base + "/login"), .fill("#username", "obs"), .fill("#password", "correct horse"),
                .submit("#login-password"),
                .open(page), .evaluate(play),
                // 9-10: the player, as seen.
                .screenshot(shot), .text("#recording-duration"),
                // 11-16: the other school's principal.
                .click("form.sign-out button"), .open(base + "/login"), .fill("#username", "head2"),
                .fill("#password", "correct horse"), .submit("#login-password"), .evaluate(fetchStatus),
                // 17-18: its page is not found.
                .open(page), .text("h1"),
            ]
            let run = try await ConsoleBrowser().run(steps)
            #expect(run.string(1)?.contains("/login?next=") == true, "\(run.string(1) ?? "")")
            #expect(Self.json(run.string(2))["status"] == 401, "\(run.string(2) ?? "")")
            let played = Self.json(run.string(8))
            #expect((played["t"] ?? 0) >= 1.5, "the video did not advance: \(run.string(8) ?? "")")
            #expect((played["w"] ?? 0) == 320 && (played["h"] ?? 0) == 240, "\(run.string(8) ?? "")")
            #expect((played["frames"] ?? 0) > 0 && (played["error"] ?? 1) == 0, "\(run.string(8) ?? "")")
            #expect(run.string(10)?.isEmpty == false)
            let other = Self.json(run.string(16))
            #expect(other["status"] == 404, "\(run.string(16) ?? "")")
            #expect(run.responses.contains { $0.url.hasSuffix("/lessons/\(order)/recording") && $0.status == 404 })
            let okMedia = run.responses.filter { $0.url.hasSuffix("recording.mp4") && ($0.status == 200 || $0.status == 206) }
            #expect(!okMedia.isEmpty, "the player never got the MP4: \(run.responses)")
            #expect(try Data(contentsOf: shot).count > 20_000)

            // The observer's playback is in the view log (through the audit log: lesson.view).
            let (status, audit) = try await fixture.collector.call("GET", "/api/v1/audit?limit=200")
            let entries = audit["entries"] as? [[String: Any]] ?? []
            #expect(status == 200)
            #expect(
                entries.contains { $0["action"] as? String == "lesson.view" && $0["actor"] as? String == "user:obs" },
                "\(entries.map { $0["action"] ?? "" })")
            #expect(!entries.contains { $0["action"] as? String == "lesson.view" && $0["actor"] as? String == "user:head2" })
        }
    }

    /// The numbers of a JSON object the page returned as a string.
    static func json(_ text: String?) -> [String: Double] {
        guard let data = text?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}
