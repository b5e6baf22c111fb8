import ClassroomTestSupport
import Foundation
import Testing

/// A small run of the 1,000-cycle bench `scripts/bench/agent-kill-cycles.py` (the real collector, the
/// real `classroomd` on a simulated recording classroom, SIGKILLed at random moments), so that the
/// script cannot silently rot: its accounting must report nothing lost or duplicated, and its
/// `--self-test` must catch one event deleted from and one copied into the store.
@Suite(.serialized) struct AgentKillCyclesScriptTests {
    static let script = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "scripts/bench/agent-kill-cycles.py")

    /// The script runs for seconds to minutes: waited for off the cooperative pool.
    static func run(_ arguments: [String]) async throws -> TestProcess.Output {
        let script = script
        return try await TestProcess.offPool {
            try TestProcess.run(
                URL(filePath: "/usr/bin/python3"), [script.path] + arguments, environment: ["PYTHONUNBUFFERED": "1"],
                timeout: .seconds(300))
        }
    }

    @Test func tenKillCyclesAreAccountedExactlyOnce() async throws {
        let dir = try TestProcess.temporaryDirectory("kill-cycles")
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appending(path: "summary.json")
        let out = try await Self.run([
            "--cycles", "10", "--bin", TestProcess.binDirectory.path, "--self-test", "--json", json.path,
        ])
        #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any], "\(out.stdout)\(out.stderr)")
        #expect(summary["cycles"] as? Int == 10)
        #expect(summary["killed_by_sigkill"] as? Int == 10, "every cycle ended by the SIGKILL")
        #expect(summary["lost"] as? Int == 0)
        #expect(summary["duplicated"] as? Int == 0)
        #expect(summary["unexpected"] as? Int == 0)
        #expect(summary["outbox_drained"] as? Bool == true)
        #expect(summary["self_test"] as? String == "caught")
        #expect(summary["result"] as? String == "pass")
        let created = try #require(summary["events_created"] as? Int)
        #expect(created > 10 && summary["events_stored"] as? Int == created)
        let kinds = summary["kinds"] as? [String: Int] ?? [:]
        #expect(Set(kinds.keys).isSuperset(of: ["heartbeat", "inventory_snapshot", "usage_minute"]), "\(kinds)")
        #expect(out.stdout.contains("cycles 10 (killed by SIGKILL 10"), "the summary line: \(out.stdout)")
    }

    @Test(
        "bad arguments: exit 2 with a message naming the problem",
        arguments: [
            (["--cycles", "0"], "--cycles"), (["--min-ms", "500", "--max-ms", "100"], "--min-ms"),
            (["--bin", "/nonexistent"], "/nonexistent/classroomd is missing"),
            (["--self-test", "--db", "postgres://x@127.0.0.1/y"], "--self-test"),
        ])
    func badArguments(arguments: [String], message: String) async throws {
        let out = try await Self.run(arguments)
        #expect(out.status == 2)
        #expect(out.stderr.contains(message), "\(out.stderr)")
    }
}
