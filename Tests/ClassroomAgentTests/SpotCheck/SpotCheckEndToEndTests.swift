import ClassroomTestSupport
import Foundation
import Testing

/// The spot-check end to end on loopback: the real collector (SQLite) and nginx-rtmp calling its
/// hooks, real `classroomd run` agents on simulated boards (umockdev, ALSA file-PCM speech, the lavfi
/// test pattern as camera), one short lesson in five schools ordered with `spotcheck now`:
///
/// | school | machine | expected |
/// |---|---|---|
/// | E1 | streams camera + microphone | `conducted`, evidence verified |
/// | E2 | ffmpeg fails (`/bin/false`) | `device_fault` (evidence `ffmpeg_failed`) |
/// | E3 | the room's current machine has no camera | `device_fault` (evidence `no_camera`) |
/// | E4 | the agent was stopped before the lesson | `device_offline` |
/// | E5 | acknowledges, its ffmpeg stalls, then it loses power | `not_conducted` |
///
/// nginx records E1's stream (video and audio); E1's key pushed again, and a forged key, are refused.
@Suite(.serialized) struct SpotCheckEndToEndTests {
    static let camera = "camera = \"-re -f lavfi -i testsrc2=size=320x240:rate=15\"\n"

    @Test(.timeLimit(.minutes(5))) func oneLessonInFiveRooms() async throws {
        let fleet = try await SpotCheckFleet(schools: ["E1", "E2", "E3", "E4", "E5"])
        var agents: [FleetAgent] = []
        defer {
            fleet.stop()
            for agent in agents { agent.remove() }
            try? FileManager.default.removeItem(at: fleet.directory)
        }
        func agent(_ school: String, tree: String, extra: String, uses: Int = 1) throws -> FleetAgent {
            let token = try fleet.enrollmentToken(school: school, uses: uses)
            let made = try FleetAgent(
                fleet: fleet, room: "\(school)-R1", token: token, tree: tree, extra: extra, label: "agent-\(school)")
            agents.append(made)
            return made
        }
        let mic = "microphone = \"speech_zh\"\n"
        let stuck = fleet.directory.appending(path: "stalled-ffmpeg.sh")
        // An ffmpeg that never gets a byte out (a black-holed network): it waits until it is stopped.
        try "#!/bin/sh\nexec sleep 600\n".write(to: stuck, atomically: true, encoding: .utf8)
        chmod(stuck.path, 0o755)

        let streaming = try agent("E1", tree: "recording-classroom", extra: Self.camera + mic)
        let failing = try agent("E2", tree: "recording-classroom", extra: Self.camera + mic + "ffmpeg = \"/bin/false\"\n")
        let former = try agent("E3", tree: "recording-classroom", extra: Self.camera + mic)
        let offline = try agent("E4", tree: "recording-classroom", extra: Self.camera + mic)
        let stalled = try agent("E5", tree: "recording-classroom", extra: Self.camera + mic + "ffmpeg = \"\(stuck.path)\"\n")
        for a in agents { try a.start() }
        for a in agents {
            let up = await AgentUnderTest.eventually(30) { a.delivered() }
            #expect(up, "\(a.room) never delivered its inventory: \(a.log.suffix(2000))")
        }
        // E3's recording machine is replaced by a PC without camera (camera unset); E4 goes offline.
        #expect(await former.stop())
        #expect(await offline.stop())
        let noCamera = try agent("E3", tree: "classroom-pc", extra: mic)
        try noCamera.start()
        #expect(await AgentUnderTest.eventually(30) { noCamera.delivered() }, "\(noCamera.log.suffix(2000))")

        // The lesson starts at the next whole minute at least 8 s away; the orders go out 1 s into it.
        try fleet.scheduleLesson(secondsFromNow: 8)
        let wait = fleet.lessonStart.timeIntervalSinceNow + 1
        #expect(wait > 0, "importing the timetable took longer than the time left before the lesson")
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        var orders: [String: String] = [:]
        for school in ["E1", "E2", "E3", "E4", "E5"] {
            let (status, order) = try await fleet.call("POST", "/api/v1/spotcheck/now", json: ["school_id": school])
            #expect(status == 201, "spotcheck now --school \(school): \(order)")
            orders[school] = order["id"] as? String
            #expect(order["room_id"] as? String == "\(school)-R1")
        }

        // E1 streams: the agent's status and status page say so while it runs.
        #expect(
            await AgentUnderTest.eventually(20) {
                ((try? streaming.status())?["spotcheck"] as? [String: Any])?["state"] as? String == "streaming"
            }, "\(streaming.log.suffix(3000))")
        let (code, page) = try await streaming.statusPage("/")
        #expect(code == 200 && page.contains("正在直播") && page.contains("教师1"), "\(page)")
        let (_, json) = try await streaming.statusPage("/status.json")
        #expect(json.contains("\"state\":\"streaming\""), "\(json)")
        // E5 received the order and started its (stalled) ffmpeg; then the machine loses power.
        #expect(
            await AgentUnderTest.eventually(20) {
                ((try? stalled.status())?["spotcheck"] as? [String: Any])?["ffmpeg_pid"] != nil
            }, "\(stalled.log.suffix(3000))")
        await stalled.powerOff()

        // After the lesson and the 5 s grace, every order has its final status.
        let over = fleet.lessonEnd.timeIntervalSinceNow + 6
        if over > 0 { try await Task.sleep(for: .seconds(over)) }
        let week = try #require(orders["E1"].flatMap { _ in Self.isoWeek(fleet.lessonStart) })
        var rows: [String: [String: Any]] = [:]
        let settled = await AgentUnderTest.eventually(60) {
            guard let (status, answer) = try? await fleet.call("GET", "/api/v1/spotcheck/weeks/\(week)/results"), status == 200
            else { return false }
            rows = [:]
            for row in answer["results"] as? [[String: Any]] ?? [] {
                if let order = row["order"] as? [String: Any], let school = order["school_id"] as? String { rows[school] = row }
            }
            return rows.count == 5
                && rows.values.allSatisfy { $0["status"] as? String != "pending" }
                && rows["E1"]?["evidence"] as? String == "verified" && rows["E2"]?["evidence"] as? String == "verified"
        }
        #expect(settled, "results: \(rows)")
        func expect(_ school: String, _ status: String, reason: String? = nil, evidence: String? = nil) {
            let row = rows[school] ?? [:]
            #expect(row["status"] as? String == status, "\(school): \(row)")
            if let reason { #expect((row["reason"] as? String ?? "").contains(reason), "\(school): \(row)") }
            if let evidence { #expect(row["evidence"] as? String == evidence, "\(school): \(row)") }
        }
        expect("E1", "conducted", evidence: "verified")
        let e1 = rows["E1"]?["order"] as? [String: Any] ?? [:]
        #expect(e1["publish_started_at"] != nil && e1["publish_ended_at"] != nil, "nginx asked the hooks: \(e1)")
        expect("E2", "device_fault", reason: "ffmpeg_failed", evidence: "verified")
        expect("E3", "device_fault", reason: "no_camera", evidence: "verified")
        expect("E4", "device_offline", reason: "did not fetch")
        expect("E5", "not_conducted", evidence: "none")
        let cut = (try? stalled.status())?["spotcheck"] as? [String: Any]
        #expect(cut?["state"] as? String == "interrupted", "E5 never recorded the end: \(String(describing: cut))")
        // nginx kept what E1 streamed (video and audio); its key, used once, is refused afterwards, as is a forged one.
        let url = try #require(try streaming.receivedIngestURLs().first)
        let key = String(url.split(separator: "/").last ?? "")
        let recorded = try MediaServerProcess.probe(fleet.media.recording(order: try #require(orders["E1"])))
        #expect(recorded.streams.contains("video") && recorded.streams.contains("audio"), "\(recorded)")
        // ffmpeg runs below real time on a loaded 2-core machine: most, not all, of the minute arrives.
        #expect(recorded.duration > 25, "\(recorded)")
        let replayed = try MediaServerProcess.publish(to: url, seconds: 2)
        #expect(replayed.status != 0, "a replayed key is refused: \(replayed.stderr)")
        let forged = try MediaServerProcess.publish(
            to: fleet.media.url(key: "cfk_" + String(key.dropFirst(4).reversed())), seconds: 2)
        #expect(forged.status != 0, "a forged key is refused: \(forged.stderr)")
        for a in [streaming, failing, noCamera] { #expect(await a.stop(), "\(a.room) stops on SIGTERM") }
        let final = (try? streaming.status())?["spotcheck"] as? [String: Any]
        #expect(
            final?["state"] as? String == "finished" && final?["outcome"] as? String == "completed",
            "\(String(describing: final))")
        #expect((final?["bytes"] as? Int ?? 0) > 100_000, "\(String(describing: final))")
    }

    /// `2026-W48` for `date` in the county zone.
    static func isoWeek(_ date: Date) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = SpotCheckFleet.zone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear!, parts.weekOfYear!)
    }
}
