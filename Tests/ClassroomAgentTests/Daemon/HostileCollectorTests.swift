import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd` against the fake collector's hostile answers on loopback: odd `Retry-After` values, a
/// command list with unknown, malformed and extreme items before a good order, a 1 GiB answer, a slow
/// drip. Each time the daemon keeps running, reports what it refused, and keeps delivering.
@Suite(.serialized) struct HostileCollectorTests {
    struct Run {
        let collector: FakeCollector
        let agent: AgentUnderTest
        let daemon: Process

        /// Stops the daemon with SIGTERM and checks it ends cleanly (a sleep of an hour is cancellable).
        func stop() async {
            #expect(daemon.isRunning, "the daemon died: \(agent.log.suffix(3000))")
            #expect(await AgentUnderTest.stop(daemon), "SIGTERM did not end the daemon")
            #expect(daemon.terminationReason == .exit && daemon.terminationStatus == 0, "\(agent.log.suffix(2000))")
            agent.remove()
        }

        /// The daemon is alive and `classroomd status` reads its state.
        func expectAlive() throws {
            #expect(daemon.isRunning, "the daemon died: \(agent.log.suffix(3000))")
            #expect(try agent.status().enrolled)
        }
    }

    /// An enrolled daemon (config `extra`) running against a fresh hostile collector; `prepare` scripts
    /// the collector before the daemon starts.
    static func start(extra: String, prepare: (FakeCollector) async throws -> Void = { _ in }) async throws -> Run {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("hostile"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: extra)
        let enrolled = try agent.classroomd([
            "enroll", "--collector", collector.baseURL, "--token", "cfe_test", "--room", "room-1", "--config", agent.configPath,
        ])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        try await prepare(collector)
        return Run(collector: collector, agent: agent, daemon: try agent.start())
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    @Test func oddRetryAfterValuesNeverTrap() async throws {
        let run = try await Self.start(extra: "heartbeat_seconds = 0.2\n") { collector in
            for value in ["-5", "NaN", "garbage", Self.httpDate(Date().addingTimeInterval(1)), "12abc", "0x10"] {
                try await collector.fail("429", route: "events", extra: ["retry_after": value])
            }
        }
        let delivered = try await AgentUnderTest.eventually(60) { try await run.collector.device()?.seqs.count ?? 0 >= 5 }
        #expect(delivered, "\(run.agent.log.suffix(3000))")
        #expect(run.agent.log.components(separatedBy: "collector is busy, retrying later").count - 1 >= 6)
        // Values past the clamp: each loop then waits the longest allowed time, an hour, and stays stoppable.
        try await run.collector.fail("429", route: "events", extra: ["retry_after": "inf"])
        try await run.collector.fail("429", route: "commands", extra: ["retry_after": "99999999999"])
        let clamped = try await AgentUnderTest.eventually(30) {
            run.agent.log.contains("collector is busy, retrying later") && run.agent.log.contains("retry_in_s=3600.0")
                && run.agent.log.contains("collector is busy, polling later")
        }
        #expect(clamped, "\(run.agent.log.suffix(3000))")
        try run.expectAlive()
        await run.stop()
    }

    static func order(_ id: String, start: Int64, end: Int64, url: String = "rtmp://127.0.0.1:1935/live/cfk_test")
        -> [String: Any]
    {
        ["order_id": id, "ingest_url": url, "lesson_start": start, "lesson_end": end, "teacher_name": "王老师", "subject": "语文"]
    }

    static func spotCheck(_ id: String, _ order: [String: Any]) -> [String: Any] {
        ["id": id, "kind": "spotcheck_start", "issued_at": Int64(Date().timeIntervalSince1970 * 1000), "spotcheck": order]
    }

    @Test func badCommandsAreAnsweredAndTheGoodOrderAfterThemRuns() async throws {
        let directory = try TestProcess.temporaryDirectory("fake-ffmpeg")
        defer { try? FileManager.default.removeItem(at: directory) }
        let ffmpeg = directory.appending(path: "ffmpeg").path
        // Stands in for ffmpeg: reports progress (bytes sent) until the runner's SIGINT at the lesson end.
        try """
        #!/bin/sh
        trap 'exit 0' INT TERM
        while :; do printf 'frame=5\\ntotal_size=2048\\nprogress=continue\\n'; sleep 0.2; done
        """.write(toFile: ffmpeg, atomically: true, encoding: .utf8)
        chmod(ffmpeg, 0o755)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let hour: Int64 = 3_600_000
        let run = try await Self.start(
            extra: """
                heartbeat_seconds = 3600
                camera = "-f lavfi -i testsrc2=size=160x120:rate=5"
                microphone = "null"
                chime_device = "none"
                ffmpeg = "\(ffmpeg)"
                ingest_host = "127.0.0.1"

                """
        ) { collector in
            try await collector.queue(["id": "u1", "kind": "self_destruct", "issued_at": now])
            try await collector.queue(["id": "m1", "kind": "spotcheck_start", "issued_at": now, "spotcheck": ["order_id": 7]])
            try await collector.queue(["kind": "chime", "issued_at": now])
            try await collector.queue(Self.spotCheck("e1", Self.order("x1", start: Int64.min, end: Int64.max)))
            try await collector.queue(Self.spotCheck("e2", Self.order("x2", start: Int64.max - 1, end: Int64.max)))
            try await collector.queue(Self.spotCheck("e3", Self.order("x3", start: now - hour, end: now + 4 * hour)))
            try await collector.queue(Self.spotCheck("e4", Self.order("x4", start: now + 48 * hour - hour, end: now + 48 * hour)))
            try await collector.queue(Self.spotCheck("e5", Self.order("../../x", start: now - 60_000, end: now + hour)))
            try await collector.queue(
                Self.spotCheck("e6", Self.order("x6", start: now - 60_000, end: now + hour, url: "rtmp://evil.example/live/k")))
            try await collector.queue(Self.spotCheck("v1", Self.order("2026-W49-01", start: now - 60_000, end: now + hour)))
        }
        let answered = try await AgentUnderTest.eventually(60) {
            try await run.collector.results().keys.count >= 9
        }
        let results = try await run.collector.results()
        #expect(answered, "\(results) \(run.agent.log.suffix(3000))")
        #expect(results["u1"]?.status == "ignored" && results["u1"]?.message?.contains("self_destruct") == true)
        #expect(results["m1"]?.status == "failed" && results["m1"]?.message?.contains("malformed command") == true)
        #expect(results["e1"]?.message?.contains("before the year 2000") == true, "\(String(describing: results["e1"]))")
        #expect(results["e2"]?.message?.contains("more than a day after") == true, "\(String(describing: results["e2"]))")
        #expect(results["e3"]?.message?.contains("at most 240 min") == true, "\(String(describing: results["e3"]))")
        #expect(results["e4"]?.message?.contains("more than a day after") == true, "\(String(describing: results["e4"]))")
        #expect(results["e5"]?.message?.contains("order_id") == true, "\(String(describing: results["e5"]))")
        #expect(results["e6"]?.message?.contains("ingest_host") == true, "\(String(describing: results["e6"]))")
        for id in ["m1", "e1", "e2", "e3", "e4", "e5", "e6"] { #expect(results[id]?.status == "failed", "\(id)") }
        #expect(
            results["v1"]?.status == "started", "the good order after the bad ones runs: \(String(describing: results["v1"]))")
        #expect(run.agent.log.contains("the collector sent a command without an id"))
        // The order streams until a stop command ends it; its signed evidence follows. The stop waits for ffmpeg:
        // "started" is answered before the notice and the launch, and a stop that comes first rightly launches nothing.
        let launched = try await AgentUnderTest.eventually(60) { run.agent.log.contains("ffmpeg started") }
        #expect(launched, "the good order really streamed: \(run.agent.log.suffix(3000))")
        try await run.collector.queue([
            "id": "s1", "kind": "spotcheck_stop", "issued_at": Int64(Date().timeIntervalSince1970 * 1000),
        ])
        let evidence = try await AgentUnderTest.eventually(60) { try await run.collector.device()?.evidence ?? 0 >= 1 }
        #expect(evidence, "the order streamed until stopped and sent signed evidence: \(run.agent.log.suffix(3000))")
        #expect(try await run.collector.results()["s1"]?.status == "done")
        let acked = try await run.collector.device()?.acked_commands ?? []
        #expect(Set(acked).isSuperset(of: ["u1", "m1", "e1", "e2", "e3", "e4", "e5", "e6", "v1"]))
        try run.expectAlive()
        await run.stop()
    }

    @Test func aGigabyteAnswerIsCutOffAndTheDaemonKeepsDelivering() async throws {
        let run = try await Self.start(extra: "heartbeat_seconds = 0.3\n") { collector in
            try await collector.fail("huge", route: "events")
            try await collector.fail("huge", route: "commands")
        }
        let capped = try await AgentUnderTest.eventually(60) {
            run.agent.log.components(separatedBy: "response body larger than 1048576 bytes").count - 1 >= 2
        }
        #expect(capped, "\(run.agent.log.suffix(3000))")
        #expect(run.agent.log.contains("upload failed, backing off") && run.agent.log.contains("command poll failed"))
        let before = try await run.collector.device()?.seqs.count ?? 0
        let delivering = try await AgentUnderTest.eventually(60) {
            try await run.collector.device()?.seqs.count ?? 0 >= before + 3
        }
        #expect(delivering, "still uploading after the cut-off: \(run.agent.log.suffix(3000))")
        try await run.collector.queue([
            "id": "after", "kind": "inventory_refresh", "issued_at": Int64(Date().timeIntervalSince1970 * 1000),
        ])
        let polled = try await AgentUnderTest.eventually(60) { try await run.collector.results()["after"] != nil }
        #expect(polled, "still polling commands after the cut-off")
        let log = try await run.collector.state().log
        #expect(!log.contains { $0.contains("all 1073741824 bytes sent") }, "the transfer was aborted, not read: \(log)")
        try run.expectAlive()
        await run.stop()
    }

    @Test func aSlowDripTimesOutAndTheDaemonKeepsDelivering() async throws {
        let run = try await Self.start(extra: "heartbeat_seconds = 0.3\nrequest_timeout_seconds = 2\n") { collector in
            try await collector.fail("drip", route: "events")
            try await collector.fail("drip", route: "commands")
        }
        let timedOut = try await AgentUnderTest.eventually(60) {
            let log = run.agent.log
            return log.contains("upload failed, backing off") && log.contains("command poll failed")
                && log.components(separatedBy: "Timeout was reached").count - 1 >= 2
        }
        #expect(timedOut, "\(run.agent.log.suffix(3000))")
        let delivered = try await AgentUnderTest.eventually(60) { try await run.collector.device()?.seqs.count ?? 0 >= 3 }
        #expect(delivered, "\(run.agent.log.suffix(3000))")
        try run.expectAlive()
        await run.stop()
    }
}
