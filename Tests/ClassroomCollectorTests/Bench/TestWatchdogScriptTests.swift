import ClassroomTestSupport
import Foundation
import Testing

/// `scripts/test-watchdog.py`, which the README's test command runs every test phase under: a run in
/// which no test starts or ends for the quiet time fails with exit 124, names the tests still running,
/// writes the stacks of the processes asked for and leaves none of the run's processes behind; a run
/// that ends passes its output and exit status through.
@Suite struct TestWatchdogScriptTests {
    static let script = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "scripts/test-watchdog.py")

    static func run(_ arguments: [String]) async throws -> TestProcess.Output {
        try await TestProcess.offPool {
            try TestProcess.run(URL(filePath: "/usr/bin/python3"), [script.path] + arguments, timeout: .seconds(120))
        }
    }

    /// swift-testing's console lines for four tests, of which one ("b is slow") never ends, then a
    /// command that sleeps with a child in a session of its own (as a test's server would), both sleeps
    /// carrying `marker` on their command lines.
    static func hangingRun(marker: String) -> String {
        """
        echo '◇ Test a() started.'
        echo '◇ Test "b is slow" started.'
        echo '◇ Test case passing 1 argument x → 1 to "c" started.'
        echo '◇ Test "c" started.'
        echo '◇ Test d() started.'
        echo '✔ Test a() passed after 0.1 seconds.'
        echo '✘ Test "c" recorded an issue at X.swift:1:1: Expectation failed'
        echo '✘ Test "c" with 2 test cases failed after 0.2 seconds with 1 issue.'
        echo '➜ Test d() skipped.'
        setsid sleep 300 \(marker) &
        sleep 300 \(marker); echo unreachable
        """
    }

    static func alive(_ marker: String) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.contains { pid in
            guard pid.allSatisfy(\.isNumber), let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                return false
            }
            return String(decoding: cmdline, as: UTF8.self).contains(marker)
        } ?? false
    }

    @Test func aQuietRunFailsNamingTheUnfinishedTestWithStacksAndNothingLeftRunning() async throws {
        let dir = try TestProcess.temporaryDirectory("watchdog")
        defer { try? FileManager.default.removeItem(at: dir) }
        // `sleep` adds its arguments up: a random fraction of a second tells this test's sleeps apart.
        let marker = "0.\(Int.random(in: 100_000...999_999))"
        let out = try await Self.run([
            "--quiet-seconds", "2", "--stacks", dir.path, "--stacks-of", "^sleep", "--", "/bin/bash", "-c",
            Self.hangingRun(marker: marker),
        ])
        #expect(out.status == 124, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("◇ Test a() started."), "the command's output is passed through")
        #expect(out.stdout.contains("no test started or ended in the last 2 seconds"), "\(out.stdout)")
        #expect(out.stdout.contains("1 test(s) started and did not end"), "\(out.stdout)")
        #expect(out.stdout.contains("test-watchdog:   \"b is slow\" (running"), "\(out.stdout)")
        for ended in ["test-watchdog:   a()", "test-watchdog:   \"c\"", "test-watchdog:   d()"] {
            #expect(!out.stdout.contains(ended), "\(ended) ended: \(out.stdout)")
        }
        // Both sleeps had their stacks written; the shell, which --stacks-of does not match, is only listed.
        let dumps = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("hang-") }
        #expect(dumps.count == 2, "\(dumps) \(out.stdout)")
        for dump in dumps {
            let text = try String(contentsOf: dir.appending(path: dump), encoding: .utf8)
            #expect(text.contains("sleep 300 \(marker)"), "\(text)")
            #expect(text.contains("#0"), "a backtrace: \(text)")
        }
        #expect(out.stdout.contains("(/bin/bash -c"), "the shell is listed: \(out.stdout)")
        #expect(!Self.alive(marker), "the run's processes, the one in its own session too, are killed")
    }

    @Test func aRunThatEndsKeepsItsStatusAndOutput() async throws {
        let failing = try await Self.run([
            "--quiet-seconds", "30", "--", "/bin/bash", "-c",
            "echo '◇ Test a() started.'; echo to-stderr >&2; echo '✔ Test a() passed after 0.1 seconds.'; exit 3",
        ])
        #expect(failing.status == 3)
        #expect(failing.stdout.contains("to-stderr"), "stderr joins the output: \(failing.stdout)")
        #expect(!failing.stdout.contains("test-watchdog:"), "\(failing.stdout)")
        let passing = try await Self.run(["--", "/bin/true"])
        #expect(passing.status == 0)
        let missing = try await Self.run(["--", "/nonexistent/test-binary"])
        #expect(missing.status == 127)
        #expect(missing.stdout.contains("cannot run /nonexistent/test-binary"), "\(missing.stdout)")
    }

    @Test(
        "bad arguments: exit 2 naming the problem",
        arguments: [
            ([String](), "no command given"), (["--quiet-seconds", "0", "--", "/bin/true"], "more than 0"),
            (["--quiet-minutes", "x", "--", "/bin/true"], "--quiet-minutes"),
        ])
    func badArguments(arguments: [String], message: String) async throws {
        let out = try await Self.run(arguments)
        #expect(out.status == 2)
        #expect(out.stderr.contains(message), "\(out.stderr)")
    }
}
