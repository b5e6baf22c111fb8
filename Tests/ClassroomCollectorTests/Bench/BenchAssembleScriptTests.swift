import ClassroomTestSupport
import Foundation
import Testing

/// `scripts/bench/assemble.py`, which puts the figures of `scripts/bench.sh` together, run on part
/// outputs written as the parts print them (JSON, pretty JSON after progress lines, `RESULT` lines, a
/// `--json FILE`), with a failed, a skipped and a missing part: every figure of issue 18 must appear,
/// with its value, unit and command, or null with the reason, and the Markdown table must show them.
@Suite struct BenchAssembleScriptTests {
    static let script = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "scripts/bench/assemble.py")

    static let figureKeys = [
        "ingest_sqlite_ratio", "ingest_postgres_ratio", "long_poll_agents", "fanout_p50_ms", "fanout_p99_ms",
        "fanout_p99_ms_3collectors", "agent_idle_rss_kb", "agent_pss_kb", "node_exporter_rss_kb", "node_exporter_pss_kb",
        "agent_ready_ms", "agent_cpu_percent", "draw_province_s", "coverage_province_s", "draw_province_postgres_s",
        "coverage_province_postgres_s", "outbox_appends_per_s",
        "registry_load_mb_per_s", "registry_load_peak_mb",
    ]

    static func run(_ arguments: [String]) throws -> TestProcess.Output {
        try TestProcess.run(URL(filePath: "/usr/bin/python3"), [script.path] + arguments, timeout: .seconds(60))
    }

    /// Writes one part's files: NAME.status and, when given, NAME.out, NAME.err, NAME.json.
    static func part(
        _ dir: URL, _ name: String, exit: Int?, command: String? = nil, skipped: String? = nil, out: String? = nil,
        err: String? = nil, json: String? = nil
    ) throws {
        var status: [String: Any] = ["command": command ?? "scripts/bench/\(name)", "seconds": 12.5]
        status["exit"] = exit ?? NSNull()
        if let skipped { status["skipped"] = skipped }
        try JSONSerialization.data(withJSONObject: status).write(to: dir.appending(path: "\(name).status"))
        for (text, suffix) in [(out, "out"), (err, "err"), (json, "json")] {
            if let text { try Data(text.utf8).write(to: dir.appending(path: "\(name).\(suffix)")) }
        }
    }

    static func fixtures(_ parts: URL) throws {
        try FileManager.default.createDirectory(at: parts, withIntermediateDirectories: true)
        try part(
            parts, "registry-load", exit: 0, command: "bash scripts/bench/registry-load.sh --schools 2000",
            out: """
                {"registry_load_mb_per_s": 41.2, "registry_load_peak_mb": 180.5, "registry_load_s": 0.98, "registry_mb": 40.4, \
                "peak_over_size": 4.47, "schools": 2000, "encoding": "UTF-8", "binary": "x"}

                """)
        try part(
            parts, "coverage-province", exit: 0,
            out: """
                == store: 120M  events: 1  devices: 20000
                GET /api/v1/coverage (run 1): HTTP 200, 3.25 s, 5000 bytes
                RESULT schools=2000 devices=20000 load_s=30.5 coverage_province_s=3.25 coverage_province_warm_s=1.5 \
                coverage_trend_s=2.5 coverage_ctl_s=1.75 collector_max_rss_mb=300

                """)
        try part(
            parts, "draw-province", exit: 1, out: "POST /api/v1/spotcheck/draws 2026-W49: HTTP 422, 0.5 s\n",
            err: "draw-province: the draw answered HTTP 422: {\"error\":\"week 2026-W49 (寒假)\"}\n")
        try part(
            parts, "ingest-sqlite", exit: 0,
            out: """
                {"store": "SQLite (raw synchronous=FULL)", "http_events_per_s": 20000, "raw_events_per_s": 40000, \
                "ratio": 0.5, "devices": 8, "batch": 1000, "events": 96000}

                """)
        try part(parts, "ingest-postgres", exit: nil, skipped: "PostgreSQL could not be set up (see the part postgres)")
        try part(
            parts, "longpoll", exit: 0,
            out: """
                enrolled 2000 devices in 20.1 s
                2000 polls held (collector: 2000 sockets) 3.0 s after the first connect
                {
                  "agents": 2000,
                  "commands": 100,
                  "delivered": 100,
                  "latency_ms": {"p50": 4.5, "p99": 35.25, "max": 40.0, "mean": 6.0},
                  "polls_held_during_commands": {"min": 1990, "max": 2000},
                  "collector_sockets_max": 2001,
                  "errors": {}
                }

                """)
        try part(
            parts, "longpoll-3collectors", exit: nil,
            skipped: "not available in this checkout (collector-longpoll.py has no --collectors option)")
        try part(
            parts, "agent", exit: 0,
            out: """
                time to READY=1 over 5 starts: min 40 ms, median 45 ms, max 60 ms
                  prometheus-node-exporter is not installed (bash scripts/install-deps.sh test)
                {"agent_pss_kb": 6100, "agent_rss_kb": 9800, "idle_cpu_percent": 0.05, "idle_seconds": 20, \
                "outbox_appends_per_s": 310.5, "outbox_appends": 3200, "ready_ms_median": 45, "starts": 5}

                """)
        try part(
            parts, "kill-cycles", exit: 0, out: "cycles 30 …\n",
            json: #"{"cycles": 30, "killed_by_sigkill": 30, "lost": 0, "duplicated": 0, "result": "pass"}"#)
        // hls-latency did not run at all: no files.
    }

    @Test func assemblesEveryFigureWithValuesOrNullsWithReasons() throws {
        let dir = try TestProcess.temporaryDirectory("bench-assemble")
        defer { try? FileManager.default.removeItem(at: dir) }
        let parts = dir.appending(path: "parts")
        try Self.fixtures(parts)
        let machine = dir.appending(path: "machine.json")
        try Data(
            #"{"cpu_model": "AMD EPYC", "cores": 2, "ram_gib": 23.5, "kernel": "6.1.0", "debian": "12.11", "swift": "Swift version 6.3.1", "git_commit": "abc123", "git_dirty": false, "date": "2026-12-04T23:00:00Z"}"#
                .utf8
        ).write(to: machine)
        let outDir = dir.appending(path: "out")
        let run = try Self.run([
            "assemble", "--parts", parts.path, "--machine", machine.path, "--mode", "quick", "--scale",
            #"{"schools": 2000, "devices": 20000}"#, "--wall", "600.5", "--out", outDir.path,
        ])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")

        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: outDir.appending(path: "bench.json"))) as? [String: Any])
        #expect(report["mode"] as? String == "quick")
        #expect((report["scale"] as? [String: Any])?["schools"] as? Int == 2000)
        #expect((report["machine"] as? [String: Any])?["git_commit"] as? String == "abc123")
        #expect(report["wall_seconds"] as? Double == 600.5)
        #expect(report["failed_parts"] as? [String] == ["draw-province"])
        let figures = try #require(report["figures"] as? [String: [String: Any]])
        for key in Self.figureKeys {
            let figure = try #require(figures[key], "\(key) is missing")
            #expect(figure["unit"] is String && figure["part"] is String, "\(key): \(figure)")
            if figure["value"] is NSNull {
                #expect((figure["reason"] as? String ?? "").isEmpty == false, "\(key) is null without a reason")
            } else {
                #expect(figure["reason"] == nil, "\(key) has a value and a reason: \(figure)")
            }
        }
        func value(_ key: String) -> Double? { (figures[key]?["value"] as? NSNumber)?.doubleValue }
        func reason(_ key: String) -> String { figures[key]?["reason"] as? String ?? "" }
        #expect(value("registry_load_mb_per_s") == 41.2)
        #expect(value("registry_load_peak_mb") == 180.5)
        #expect(figures["registry_load_mb_per_s"]?["command"] as? String == "bash scripts/bench/registry-load.sh --schools 2000")
        #expect(value("coverage_province_s") == 3.25)
        #expect(value("ingest_sqlite_ratio") == 0.5)
        let beside = figures["ingest_sqlite_ratio"]?["beside"] as? [String: Any]
        #expect(beside?["http_events_per_s"] as? Int == 20000 && beside?["raw_events_per_s"] as? Int == 40000)
        #expect(value("fanout_p50_ms") == 4.5 && value("fanout_p99_ms") == 35.25)
        #expect(value("long_poll_agents") == 2000)
        #expect(value("agent_idle_rss_kb") == 9800 && value("agent_pss_kb") == 6100)
        #expect(value("agent_ready_ms") == 45 && value("agent_cpu_percent") == 0.05)
        #expect(value("outbox_appends_per_s") == 310.5)
        #expect(value("kill_cycles_lost") == 0)
        #expect(reason("draw_province_s").contains("part draw-province failed (exit 1)"), "\(reason("draw_province_s"))")
        #expect(reason("draw_province_s").contains("HTTP 422"))
        #expect(reason("ingest_postgres_ratio") == "PostgreSQL could not be set up (see the part postgres)")
        #expect(reason("fanout_p99_ms_3collectors").hasPrefix("not available in this checkout"))
        #expect(reason("node_exporter_rss_kb").contains("did not report node_exporter_rss_kb"))
        #expect(reason("hls_latency_median_ms") == "part hls-latency did not run")

        let table = try String(contentsOf: outDir.appending(path: "bench.md"), encoding: .utf8)
        #expect(table.contains("quick, smaller than the province: schools 2,000, devices 20,000"), "\(table)")
        #expect(table.contains("| CPU | AMD EPYC, 2 cores |"))
        #expect(table.contains("| Commit | abc123 |"))
        #expect(table.contains("| Run | quick, wall time 600.5 s |"))
        #expect(table.contains("| Figure | Value | Unit | Part | Beside / why null |"))
        #expect(
            table.contains(
                "| `ingest_sqlite_ratio` | 0.5 | ratio | ingest-sqlite | http_events_per_s 20,000, raw_events_per_s 40,000"))
        #expect(table.contains("| `fanout_p99_ms` | 35.25 | ms | longpoll |"))
        #expect(
            table.contains("| `fanout_p99_ms_3collectors` | null | ms | longpoll-3collectors | not available in this checkout"))
        #expect(table.contains("| `draw_province_s` | null | s | draw-province | part draw-province failed (exit 1)"))
        for key in Self.figureKeys { #expect(table.contains("| `\(key)` |"), "\(key) is not in the table") }
    }

    @Test func machineDetailsAndBadInput() throws {
        let machine = try Self.run(["machine"])
        #expect(machine.status == 0, "\(machine.stderr)")
        let details = try #require(try JSONSerialization.jsonObject(with: Data(machine.stdout.utf8)) as? [String: Any])
        for key in ["cpu_model", "cores", "ram_gib", "kernel", "debian", "swift", "git_commit", "date"] {
            #expect(details.keys.contains(key), "\(key) is missing from \(details)")
        }
        #expect((details["cores"] as? Int ?? 0) >= 1)

        let dir = try TestProcess.temporaryDirectory("bench-assemble-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try Self.run([
            "assemble", "--parts", dir.path, "--machine", dir.appending(path: "nope.json").path, "--mode", "quick",
            "--out", dir.path,
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.json"), "\(missing.stderr)")
    }
}
