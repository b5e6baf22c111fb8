import ClassroomTestSupport
import Foundation
import Testing

/// A real full file system under the state directory (a size-limited tmpfs; needs root, as the
/// README's test command runs): the daemon keeps running, reports, and delivers everything after.
@Suite(.serialized) struct DiskFullTests {
    static let canMount: Bool = {
        guard getuid() == 0, let dir = try? TestProcess.temporaryDirectory("mount-probe") else { return false }
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let out = try? TestProcess.run(URL(filePath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.path]),
            out.status == 0
        else { return false }
        _ = try? TestProcess.run(URL(filePath: "/bin/umount"), [dir.path])
        return true
    }()

    @Test(.enabled(if: canMount, "mounting a tmpfs needs root"))
    func fullDiskKeepsTheDaemonRunningAndLosesNothing() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let agent = try AgentUnderTest(collector: collector.baseURL, extra: "heartbeat_seconds = 0.005\n")
        defer { agent.remove() }
        try FileManager.default.createDirectory(atPath: agent.stateDirectory, withIntermediateDirectories: true)
        let mount = try TestProcess.run(
            URL(filePath: "/bin/mount"), ["-t", "tmpfs", "-o", "size=8m", "tmpfs", agent.stateDirectory])
        #expect(mount.status == 0, "\(mount.stderr)")
        defer { _ = try? TestProcess.run(URL(filePath: "/bin/umount"), ["-l", agent.stateDirectory]) }
        #expect(try agent.enroll(collector).status == 0)
        // The collector is away, so events pile up; another program then fills the disk.
        try await collector.fail("503", count: 1_000_000)
        let daemon = try agent.start()
        try await Task.sleep(for: .milliseconds(500))
        let filler = agent.stateDirectory + "/filler"
        let dd = try TestProcess.run(URL(filePath: "/bin/dd"), ["if=/dev/zero", "of=\(filler)", "bs=64k"])
        #expect(dd.stderr.contains("No space left on device"), "\(dd.stderr)")
        let reported = await AgentUnderTest.eventually(20) { agent.log.contains("disk full") }
        #expect(reported, "\(agent.log.suffix(2000))")
        try await Task.sleep(for: .seconds(1))
        #expect(daemon.isRunning, "a full disk never stops the daemon")

        // Space comes back and the collector returns: everything queued is delivered, once.
        try FileManager.default.removeItem(atPath: filler)
        _ = try await collector.request("POST", "/_test/clear")
        let before = try agent.status().last_sequence ?? 0
        let resumed = try await AgentUnderTest.eventually(20) { (try agent.status().last_sequence ?? 0) > before + 10 }
        #expect(resumed, "appends resume after space is freed")
        #expect(await AgentUnderTest.stop(daemon))
        try
            (String(contentsOfFile: agent.configPath, encoding: .utf8).replacingOccurrences(
                of: "heartbeat_seconds = 0.005", with: "heartbeat_seconds = 3600")).write(
                toFile: agent.configPath, atomically: true, encoding: .utf8)
        let calm = try agent.start()
        try await DeliveryTests().expectExactlyOnce(agent, collector, stopping: calm)
    }
}
