import ClassroomTestSupport
import Foundation
import Testing

/// Live viewing end to end on loopback: the real collector (SQLite), nginx with the rtmp module from
/// the shipped configurations (RTMP ingest → HLS, and the HTTP site with `auth_request`), a real
/// `classroomd` on a simulated recording classroom streaming the called lesson, and headless
/// Chromium: an observer signs in and plays it in the watch page's own `<video>`; a principal of
/// another school and a signed-out browser get no playlist and no fragment; the view is logged.
///
/// - Important: heavy (nginx, ffmpeg, classroomd, Chromium): run it in the test command's serial phase.
@Suite("Live viewing end to end", .serialized)
struct LiveViewingEndToEndTests {
    static let camera = "camera = \"-re -f lavfi -i testsrc2=size=640x360:rate=25\"\nmicrophone = \"speech_zh\"\n"

    @Test(.timeLimit(.minutes(4))) func observerPlaysTheCalledLesson() async throws {
        let fleet = try await SpotCheckFleet(schools: ["L1", "L2"], http: true)
        var agents: [FleetAgent] = []
        defer {
            fleet.stop()
            for agent in agents { agent.remove() }
            try? FileManager.default.removeItem(at: fleet.directory)
        }
        let site = try #require(fleet.media.site)
        try createUser(fleet, "jiaoyan", role: "observer", school: nil, password: "observer-pass-1")
        try createUser(fleet, "principal2", role: "school_admin", school: "L2", password: "principal-pass-2")

        let agent = try FleetAgent(
            fleet: fleet, room: "L1-R1", token: try fleet.enrollmentToken(school: "L1", uses: 1), tree: "recording-classroom",
            extra: Self.camera, label: "agent-live")
        agents.append(agent)
        try agent.start()
        #expect(await AgentUnderTest.eventually(30) { agent.delivered() }, "\(agent.log.suffix(2000))")
        try await fleet.scheduleLessonInProgress(minutes: 3)
        let (status, order) = try await fleet.call("POST", "/api/v1/spotcheck/now", json: ["school_id": "L1"])
        let orderID = try #require(order["id"] as? String, "spotcheck now: \(status) \(order)")

        // nginx renamed the stream: HLS under the order's public name, never under the key.
        let stream = "lesson-\(orderID)"
        let playlistFile = fleet.media.hls(stream: stream).appending(path: "index.m3u8")
        let published = await AgentUnderTest.eventually(40) {
            ((try? String(contentsOf: playlistFile, encoding: .utf8)) ?? "").components(separatedBy: ".ts").count > 2
        }
        #expect(published, "no HLS for \(stream): \(fleet.media.errorLog().suffix(2000))\n\(agent.log.suffix(2000))")
        let folders = try FileManager.default.contentsOfDirectory(atPath: fleet.media.directory.appending(path: "hls").path)
        #expect(folders == [stream], "\(folders)")
        let playlist = "/media/hls/\(stream)/index.m3u8"
        let fragment = try #require(
            try String(contentsOf: playlistFile, encoding: .utf8).split(separator: "\n").last { $0.hasSuffix(".ts") })
        let fragmentURL = "/media/hls/\(stream)/\(fragment)"
        let fetch = { (path: String) in "fetch('\(path)', {cache: 'no-store'}).then(r => r.status)" }
        let shot = try TestOutput.directory("live").appending(path: "watch-page.png")

        // The observer signs in and plays the lesson in the watch page.
        let watched = try await ConsoleBrowser().run(
            [
                .open(site + "/login"), .fill("#username", "jiaoyan"), .fill("#password", "observer-pass-1"),
                .submit("#login-password"), .open(site + "/lessons/\(orderID)"), .evaluate(Self.waitForPlaying),
                .evaluate(Self.advanceAndFrame), .text("#player-state"), .text("#stream-state"), .evaluate(fetch(playlist)),
                .screenshot(shot),
            ], timeout: .seconds(120))
        let playing = watched.results[5] as? [String: Any] ?? [:]
        #expect(playing["playing"] as? Bool == true, "the player never played: \(playing) \(watched.responses.suffix(10))")
        let frame = watched.results[6] as? [String: Any] ?? [:]
        let before = frame["before"] as? Double ?? 0
        let after = frame["after"] as? Double ?? 0
        #expect(after > before, "currentTime did not advance: \(frame)")
        #expect((frame["decodedFrames"] as? Int ?? 0) > 0, "no video frame was decoded: \(frame)")
        #expect((frame["litPixels"] as? Int ?? 0) > 1000, "the drawn frame is black: \(frame)")
        #expect(watched.results[7] as? String == "正在播放", "\(watched.results[7])")
        #expect(watched.results[8] as? String == "正在直播", "\(watched.results[8])")
        #expect(watched.results[9] as? Int == 200)
        #expect(
            watched.responses.contains { $0.url.hasSuffix(".ts") && ($0.status == 200 || $0.status == 206) },
            "no fragment was served: \(watched.responses)")
        #expect(watched.consoleErrors.isEmpty, "\(watched.consoleErrors)")

        // A principal of another school: the page is 404, the playlist and a fragment 403.
        let other = try await ConsoleBrowser().run([
            .open(site + "/login"), .fill("#username", "principal2"), .fill("#password", "principal-pass-2"),
            .submit("#login-password"), .open(site + "/lessons/\(orderID)"), .evaluate(fetch(playlist)),
            .evaluate(fetch(fragmentURL)),
        ])
        #expect(other.responses.contains { $0.url.hasSuffix("/lessons/\(orderID)") && $0.status == 404 })
        #expect(other.results[5] as? Int == 403 && other.results[6] as? Int == 403, "\(other.results)")
        // Signed out: 401 for both.
        let anonymous = try await ConsoleBrowser().run([
            .open(site + "/login"), .evaluate(fetch(playlist)), .evaluate(fetch(fragmentURL)),
        ])
        #expect(anonymous.results[1] as? Int == 401 && anonymous.results[2] as? Int == 401, "\(anonymous.results)")

        // The view log holds the observer's live view of this lesson (audited), and nobody else's.
        let (_, audit) = try await fleet.call("GET", "/api/v1/audit?limit=200")
        let views = (audit["entries"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "lesson.view" }
        #expect(views.count == 1, "\(views)")
        #expect(views.first?["actor"] as? String == "user:jiaoyan" && views.first?["target"] as? String == orderID)
        #expect((views.first?["detail"] as? String ?? "").hasPrefix("live view"), "\(views)")
        #expect(await agent.stop(), "the agent stops on SIGTERM")
    }

    /// Waits (≤ 15 s; the CDP client times a call out after 20 s) until the page's player is playing; answers the player's state.
    static let waitForPlaying = """
        new Promise(resolve => {
          const v = document.getElementById('player');
          const started = Date.now();
          (function check() {
            const shown = document.getElementById('player-state').getAttribute('data-player-state');
            if ((v.currentTime > 0 && !v.paused && v.readyState >= 2) || Date.now() - started > 15000) {
              resolve({playing: v.currentTime > 0 && !v.paused, state: shown, time: v.currentTime,
                       readyState: v.readyState, error: v.error ? v.error.message : null, src: v.currentSrc});
            } else setTimeout(check, 250);
          })();
        })
        """

    /// currentTime before and 3 s later, frames the browser decoded, and how many pixels of a canvas
    /// draw of the current frame are not black.
    static let advanceAndFrame = """
        new Promise(resolve => {
          const v = document.getElementById('player');
          const before = v.currentTime;
          let decoded = 0;
          const count = () => { decoded++; v.requestVideoFrameCallback(count); };
          v.requestVideoFrameCallback(count);
          setTimeout(() => {
            const c = document.createElement('canvas');
            c.width = v.videoWidth; c.height = v.videoHeight;
            const g = c.getContext('2d');
            g.drawImage(v, 0, 0);
            const d = g.getImageData(0, 0, c.width, c.height).data;
            let lit = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
            resolve({before: before, after: v.currentTime, decodedFrames: decoded, litPixels: lit,
                     width: v.videoWidth, height: v.videoHeight});
          }, 3000);
        })
        """

    func createUser(_ fleet: SpotCheckFleet, _ name: String, role: String, school: String?, password: String) throws {
        let created = try TestProcess.run(
            try TestProcess.product("classroom-collector"),
            ["user", "create", "--username", name, "--role", role, "--password-file", "-", "--db", fleet.database]
                + (school.map { ["--school", $0] } ?? []), stdin: Data((password + "\n").utf8))
        guard created.status == 0 else { throw TestSupportError("user create \(name): \(created.stderr)") }
    }
}
