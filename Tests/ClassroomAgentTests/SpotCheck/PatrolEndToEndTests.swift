import ClassroomAgent
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

/// Patrol (巡课) end to end on loopback: the real collector (SQLite) with nginx-rtmp calling its hooks
/// (the shipped configuration: patrols go to its `patrol` application, the collector's default ingest),
/// a real `classroomd run` on a simulated recording classroom (lavfi camera, ALSA file-PCM microphone,
/// the chime played into an ALSA `file` PCM of this test), real ffmpeg. The principal of the school:
/// refused outside lesson time; during a lesson the principal opens the room on the console's patrol
/// page in headless Chromium (through the shipped HTTP site) and watches it play; the room chimes,
/// shows the 巡课 notice and streams; the browser closes, so the collector stops the stream inside
/// the lesson; the view (from when to when) is in the view log and the audit log.
@Suite(.serialized) struct PatrolEndToEndTests {
    @Test(.timeLimit(.minutes(4))) func principalPatrolsALesson() async throws {
        let fleet = try await SpotCheckFleet(schools: ["P1"], http: true) { _ in
            ["--patrol-startup-grace", "5"]
        }
        var agent: FleetAgent?
        defer {
            fleet.stop()
            agent?.remove()
            try? FileManager.default.removeItem(at: fleet.directory)
        }
        // The chime goes into a file of this test; the notify command writes the notice it is given.
        let chime = fleet.directory.appending(path: "chime.raw")
        let alsa = fleet.directory.appending(path: "asound.conf")
        let fixture = try String(contentsOfFile: try SimulatedClassroom.alsaConfig.get(), encoding: .utf8)
        try
            (fixture
            + "\npcm.patrol_chime {\n  type file\n  slave.pcm { type null }\n  file \"\(chime.path)\"\n  format \"raw\"\n}\n")
            .write(to: alsa, atomically: true, encoding: .utf8)
        let notices = fleet.directory.appending(path: "notices.txt")
        let notify = fleet.directory.appending(path: "notify.sh")
        try "#!/bin/sh\nprintf '%s|%s\\n' \"$1\" \"$2\" >> \(notices.path)\n".write(to: notify, atomically: true, encoding: .utf8)
        chmod(notify.path, 0o755)

        let token = try fleet.enrollmentToken(school: "P1", uses: 1)
        let room = try FleetAgent(
            fleet: fleet, room: "P1-R1", token: token, tree: "recording-classroom",
            extra: SpotCheckEndToEndTests.camera + "microphone = \"speech_zh\"\nnotify_command = \"\(notify.path)\"\n",
            label: "agent-patrol", chime: "patrol_chime")
        agent = room
        try room.start(alsaConfig: alsa.path)
        #expect(await AgentUnderTest.eventually(30) { room.delivered() }, "\(room.log.suffix(2000))")
        let (created, answer) = try await fleet.call(
            "POST", "/api/v1/tokens", json: ["role": "school_admin", "name": "校长", "school_id": "P1"])
        let principal = try #require(answer["token"] as? String, "\(created) \(answer)")

        // Outside lesson time (the lesson is a day away): refused with the reason.
        let (early, refused) = try await fleet.call("POST", "/api/v1/patrol", json: ["room_id": "P1-R1"], token: principal)
        #expect(early == 422 && refused["error"] as? String == "not_in_lesson", "\(refused)")
        let cli = try fleet.ctl(["patrol", "open", "P1-R1", "--collector", fleet.base, "--token", principal])
        #expect(cli.status != 0 && cli.stderr.contains("not_in_lesson"), "classroomctl patrol open: \(cli.stderr)")

        // During a lesson (three minutes, begun at the last whole minute), the principal signs in on the
        // console's HTTP site, opens the room on the patrol page, watches it in the watch page's player,
        // and closes the browser.
        try LiveViewingEndToEndTests().createUser(
            fleet, "xiaozhang", role: "school_admin", school: "P1", password: "principal-pass-1")
        try await fleet.scheduleLessonInProgress(minutes: 3)
        let site = try #require(fleet.media.site)
        let shots = try TestOutput.directory("patrol")
        let watched = try await ConsoleBrowser().run(
            [
                .open(site + "/login"), .fill("#username", "xiaozhang"), .fill("#password", "principal-pass-1"),
                .submit("#login-password"), .open(site + "/patrol"), .screenshot(shots.appending(path: "patrol-page.png")),
                .submit("tr[data-room=\"P1-R1\"] form"), .url, .evaluate(Self.waitForLive),
                .evaluate(LiveViewingEndToEndTests.waitForPlaying), .text("#stream-state"),
                .screenshot(shots.appending(path: "patrol-watch.png")), .text("main"), .text(".site-nav a[aria-current]"),
            ], timeout: .seconds(120))
        let closed = Date()
        let watchURL = try #require(watched.string(7), "\(watched.results)")
        #expect(watchURL.hasPrefix(site + "/lessons/patrol-"), "opening redirects to the watch page: \(watchURL)")
        let id = String(watchURL.split(separator: "/").last ?? "")
        #expect(watched.results[8] as? String == "live", "the watch page never saw the stream live: \(watched.results)")
        let playing = watched.results[9] as? [String: Any] ?? [:]
        #expect(playing["playing"] as? Bool == true, "the patrol never played: \(playing) \(room.log.suffix(2000))")
        #expect(watched.string(10) == "正在直播", "\(watched.results)")
        let page = watched.string(12) ?? ""
        #expect(page.contains("巡课") && !page.contains("source_"), "the watch page names the patrol: \(page)")
        #expect(watched.string(13) == "巡课", "the patrol's watch page is in the 巡课 section: \(watched.results)")
        // The page opened before the stream existed: its player asked for the playlist until nginx had
        // written one (404 until then). Nothing else went wrong.
        let errors = watched.consoleErrors.filter { !($0.contains("status of 404") && $0.contains("/index.m3u8")) }
        #expect(errors.isEmpty, "\(watched.consoleErrors)")
        // The API answers a second opener by joining the open patrol, with the same watch page.
        let (joined, again) = try await fleet.call("POST", "/api/v1/patrol", json: ["room_id": "P1-R1"], token: principal)
        #expect(joined == 200 && again["joined"] as? Bool == true, "\(again)")
        #expect(again["watch_url"] as? String == "/lessons/\(id)")

        // The room streams the patrol, after the chime and the notice.
        let streaming = await AgentUnderTest.eventually(20) {
            let s = (try? room.status())?["spotcheck"] as? [String: Any]
            return s?["state"] as? String == "streaming" && s?["order_id"] as? String == id && (s?["bytes"] as? Int ?? 0) > 0
        }
        #expect(streaming, "\(room.log.suffix(3000))")
        let (_, statusPage) = try await room.statusPage("/")
        #expect(statusPage.contains("正在巡课"), "the room's status page says it is a patrol: \(statusPage)")
        #expect(try await Self.published(fleet, order: id).started, "nginx asked on_publish for the patrol key")
        let chimed = (try? FileManager.default.attributesOfItem(atPath: chime.path)[.size] as? Int) ?? 0
        #expect(chimed > 16_000, "the chime was played into the room: \(chimed) bytes")
        let notice = (try? String(contentsOf: notices, encoding: .utf8)) ?? ""
        #expect(notice.hasPrefix("巡课|巡课：") && notice.contains("教师1"), "\(notice)")
        // The shipped `patrol` application makes the HLS the console plays, under the public name.
        let playlist = fleet.media.hls(stream: "lesson-\(id)").appending(path: "index.m3u8")
        #expect(
            await AgentUnderTest.eventually(20) { FileManager.default.fileExists(atPath: playlist.path) }, "HLS of the patrol")

        // The page is closed: after the 30 s idle gap the collector stops the stream — inside the
        // lesson, not at its end.
        let stopped = await AgentUnderTest.eventually(70) {
            let s = (try? room.status())?["spotcheck"] as? [String: Any]
            return s?["state"] as? String == "finished" && s?["outcome"] as? String == "stopped"
        }
        #expect(stopped, "\(room.log.suffix(3000))")
        let ended = Date()
        #expect(ended < fleet.lessonEnd, "the stream stopped before the lesson ended")
        #expect(
            ended.timeIntervalSince(closed) >= 25,
            "the view was kept while the page was open: \(ended.timeIntervalSince(closed)) s")
        #expect(await AgentUnderTest.eventually(20) { (try? await Self.published(fleet, order: id).ended) == true })
        #expect(!FileManager.default.fileExists(atPath: fleet.media.recording(order: id).path), "a patrol is not recorded")
        let patrol = try Self.patrolEnd(fleet, order: id)
        #expect(patrol?.reason == "no_viewers", "\(String(describing: patrol))")
        #expect(
            await AgentUnderTest.eventually(20) { (try? Self.stopReason(fleet, order: id)) == "stopped by the collector" },
            "the signed evidence says why the stream ended")

        // The view log holds the principal's view in the browser (from when to when) and the token's
        // join; the audit log the opening, the views and the end.
        let (_, views) = try await fleet.call("GET", "/api/v1/patrol/views", token: principal)
        let all = views["views"] as? [[String: Any]] ?? []
        let view = try #require(all.first { $0["viewer"] as? String == "user:xiaozhang" }, "\(views)")
        #expect(view["order_id"] as? String == id && view["viewer_role"] as? String == "school_admin")
        #expect(view["room_id"] as? String == "P1-R1")
        let from = try #require(view["started_at"] as? Int)
        let to = try #require(view["last_seen_at"] as? Int)
        #expect(
            to > from && Double(to) / 1000 <= closed.timeIntervalSince1970 + 1, "the view ended when the page closed: \(view)")
        #expect(all.contains { ($0["viewer"] as? String ?? "").hasPrefix("token:") }, "the token's join: \(all)")
        #expect(all.allSatisfy { $0["order_id"] as? String == id }, "\(all)")
        let (_, audit) = try await fleet.call("GET", "/api/v1/audit?limit=100")
        let actions = (audit["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        for action in ["patrol.open", "patrol.dispatch", "lesson.view", "patrol.stop", "patrol.end"] {
            #expect(actions.contains(action), "\(action) in \(actions)")
        }

        let listed = try fleet.ctl(["patrol", "views", "--collector", fleet.base, "--token", principal])
        #expect(listed.status == 0 && listed.stdout.contains("P1-R1") && listed.stdout.contains(id), "\(listed.stdout)")

        #expect(await room.stop(), "the agent stops on SIGTERM")
    }

    /// Waits (≤ 15 s) until the watch page says the stream is live (the room's agent has chimed,
    /// started ffmpeg and published); answers the page's stream state.
    static let waitForLive = """
        new Promise(resolve => {
          const started = Date.now();
          (function check() {
            const state = document.getElementById('stream-state').getAttribute('data-state');
            if (state === 'live' || Date.now() - started > 15000) resolve(state); else setTimeout(check, 250);
          })();
        })
        """

    static func database(_ fleet: SpotCheckFleet) throws -> SQLiteConnection {
        try SQLiteConnection(path: fleet.directory.appending(path: "collector.sqlite").path, readOnly: true)
    }

    /// Whether nginx reported the order's publish start and end to the collector.
    static func published(_ fleet: SpotCheckFleet, order: String) async throws -> (started: Bool, ended: Bool) {
        let rows = try database(fleet).prepare(
            "SELECT publish_started_at, publish_ended_at FROM spotcheck_orders WHERE id = '\(order)'")
        guard try rows.step() else { return (false, false) }
        return (rows.optionalInt(0) != nil, rows.optionalInt(1) != nil)
    }

    static func patrolEnd(_ fleet: SpotCheckFleet, order: String) throws -> (at: Int64, reason: String)? {
        let rows = try database(fleet).prepare("SELECT ended_at, end_reason FROM patrols WHERE order_id = '\(order)'")
        guard try rows.step(), let at = rows.optionalInt(0), let reason = rows.optionalText(1) else { return nil }
        return (at, reason)
    }

    /// The `stop_reason` of the order's evidence as the collector stored it.
    static func stopReason(_ fleet: SpotCheckFleet, order: String) throws -> String? {
        let rows = try database(fleet).prepare("SELECT body FROM events WHERE kind = 'evidence'")
        while try rows.step() {
            guard let event = try? JSONDecoder().decode(AgentEvent.self, from: Data(rows.text(0).utf8)),
                case .evidence(let signed) = event.body, let payload = signed.decodedPayload, payload.orderID == order
            else { continue }
            return payload.stopReason
        }
        return nil
    }
}
