import ClassroomTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The real `classroom-collector` SIGKILLed 20 times at random moments while real agents upload to it,
/// restarted each time on the same database and port; on SQLite and on PostgreSQL (issue 13).
///
/// The agents are three real `classroomd` processes on simulated classroom machines (umockdev trees,
/// ALSA file-PCM microphones, 1-second usage minutes, a heartbeat every 10 ms), not scripted uploaders:
/// they start in a second, so the test stays bounded, and they exercise exactly what a fleet does when
/// its collector dies mid-request (the upload and long-poll failing in every way, back-off, re-sending a
/// batch the dead collector had already committed). What an agent saw acknowledged is durable on its
/// side: the outbox deletes events only up to the collector's `acknowledged_through` and records that
/// value in the same transaction (`meta.acknowledged_through`). So after each kill, while no collector
/// runs, every event up to each agent's recorded value must be in the store — read directly with
/// `sqlite3`/`psql` — and at the end every event an outbox assigned is stored exactly once.
@Suite(.serialized) struct CollectorKillNineTests {
    static let machines = [
        (room: "S00001-R001", tree: "recording-classroom", microphone: "speech_zh"),
        (room: "S00001-R002", tree: "blackboard-panel", microphone: "speech_en"),
        (room: "S00001-R003", tree: "classroom-pc", microphone: "near_silence"),
    ]

    @Test(arguments: StoreKind.allCases)
    func twentyCollectorKillsMidIngestLoseAndDuplicateNothing(store: StoreKind) async throws {
        let dir = try TestProcess.temporaryDirectory("collector-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let database = try await CollectorDatabase.make(store, in: dir) else { return }
        do {
            try await run(on: database, in: dir)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    private func run(on database: CollectorDatabase, in dir: URL) async throws {
        var collector = try await RunningCollector.start(in: dir, database: database.url, port: try Self.freePort())
        defer { collector.stop() }
        let agents = try EnrolledAgent.enroll(Self.machines.map(\.room), on: collector, in: dir)
        var fleet: [(agent: EnrolledAgent, machine: SimulatedMachine, process: Process, device: String, microphone: String)] = []
        defer {
            for member in fleet where member.process.isRunning { member.process.terminate() }
            for member in fleet { member.machine.stop() }
        }
        for (agent, spec) in zip(agents, Self.machines) {
            try agent.daemon.writeConfig(
                collector: collector.base, extra: "heartbeat_seconds = 0.01\nmicrophone = \"\(spec.microphone)\"\n")
            let machine = try SimulatedMachine(tree: spec.tree)
            let process = try agent.daemon.start(environment: machine.environment)
            fleet.append((agent, machine, process, try #require(try agent.daemon.status().device_id), spec.microphone))
        }
        let uploading = try await ClassroomdProcess.eventually(60) {
            try fleet.allSatisfy { try $0.agent.daemon.status().last_upload_at != nil }
        }
        try #require(uploading, "the agents never uploaded: \(fleet.map { $0.agent.daemon.log.suffix(1500) })")

        var rng = SystemRandomNumberGenerator()
        var acknowledged: [String: Int64] = [:]
        var resent = 0
        for round in 1...20 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...1000, using: &rng)))
            resent += await Self.duplicatesAcknowledged(by: collector)
            kill(collector.process.processIdentifier, SIGKILL)
            collector.process.waitUntilExit()
            #expect(collector.process.terminationReason == .uncaughtSignal && collector.process.terminationStatus == SIGKILL)
            // No collector runs now: whatever an agent recorded as acknowledged must already be stored.
            for member in fleet {
                let through = try Self.acknowledgedThrough(member.agent.daemon)
                let stored = Set(try database.storedSequenceNumbers(device: member.device))
                let missing = through > 0 ? Set(1...through).subtracting(stored) : []
                #expect(
                    missing.isEmpty,
                    "kill \(round): \(member.device) saw \(through) acknowledged; not stored: \(missing.sorted().prefix(20))")
                acknowledged[member.device] = max(acknowledged[member.device] ?? 0, through)
            }
            collector = try collector.restarted()
        }
        #expect(acknowledged.values.allSatisfy { $0 > 0 })

        // After the last restart the outboxes drain: heartbeats once an hour from now (SIGHUP reload),
        // usage minutes go on, and at some moment each queue is empty with everything stored.
        for member in fleet {
            try member.agent.daemon.writeConfig(
                collector: collector.base, extra: "heartbeat_seconds = 3600\nmicrophone = \"\(member.microphone)\"\n")
            kill(member.process.processIdentifier, SIGHUP)
        }
        let drained = try await ClassroomdProcess.eventually(90) {
            try fleet.allSatisfy { member in
                let status = try member.agent.daemon.status()
                let stored = Set(try database.storedSequenceNumbers(device: member.device))
                return status.queue_depth == 0 && stored.isSuperset(of: 1...(status.last_sequence ?? 0))
            }
        }
        let statuses = try fleet.map { try $0.agent.daemon.status() }
        #expect(drained, "the outboxes did not drain after the last restart: \(statuses)")
        for member in fleet { #expect(await ClassroomdProcess.stop(member.process, signal: SIGTERM)) }
        for member in fleet { try Self.expectExactlyOnce(member.agent.daemon, device: member.device, in: database) }
        print("collector kill -9 (\(database.kind)): 20 kills, \(resent) events re-sent and acknowledged as duplicates")
    }

    /// Every sequence number the outbox assigned is stored once, except ones still queued; nothing else is.
    static func expectExactlyOnce(_ agent: ClassroomdProcess, device: String, in database: CollectorDatabase) throws {
        let status = try agent.status()
        let last = try #require(status.last_sequence)
        let queued = Set(try outbox(agent, "SELECT seq FROM events").compactMap { Int64($0) })
        let stored = try database.storedSequenceNumbers(device: device)
        #expect(stored.count == Set(stored).count, "\(device): a sequence number stored twice")
        #expect(stored.allSatisfy { (1...last).contains($0) }, "\(device): stored events the outbox never assigned")
        let lost = Set(1...last).subtracting(queued).subtracting(stored)
        #expect(lost.isEmpty, "\(device): lost \(lost.sorted().prefix(20))")
        let minutes = try database.query(
            "SELECT agent_at FROM events WHERE device_id = '\(device)' AND kind = 'usage_minute' GROUP BY agent_at HAVING count(*) > 1"
        )
        #expect(minutes.isEmpty, "\(device): usage minutes stored twice: \(minutes.prefix(5))")
        let kinds = Set(try database.query("SELECT DISTINCT kind FROM events WHERE device_id = '\(device)'").compactMap(\.first))
        #expect(kinds.isSuperset(of: ["heartbeat", "inventory_snapshot", "usage_minute"]), "\(device): \(kinds)")
    }

    /// The `acknowledged_through` the agent's outbox recorded (0 before the first acknowledgement).
    static func acknowledgedThrough(_ agent: ClassroomdProcess) throws -> Int64 {
        try outbox(agent, "SELECT value FROM meta WHERE key = 'acknowledged_through'").first.flatMap { Int64($0) } ?? 0
    }

    /// One column of a query on the agent's `outbox.db` (read-only; the daemon may be running).
    static func outbox(_ agent: ClassroomdProcess, _ sql: String) throws -> [String] {
        let out = try TestProcess.run(
            URL(filePath: "/usr/bin/sqlite3"), ["-readonly", agent.stateDirectory + "/outbox.db", sql])
        guard out.status == 0 else { throw TestSupportError("outbox \(sql): \(out.stderr)") }
        return out.stdout.split(separator: "\n").map(String.init)
    }

    /// `collector_events_duplicate_total` of the running collector (0 when it does not answer).
    static func duplicatesAcknowledged(by collector: RunningCollector) async -> Int {
        var request = URLRequest(url: URL(string: collector.base + "/metrics")!)
        request.timeoutInterval = 10
        guard let (data, _) = try? await URLSession.shared.data(for: request) else { return 0 }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix("collector_events_duplicate_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    /// A loopback port that is free now, below the kernel's ephemeral range (where the other tests'
    /// port-0 servers and outgoing connections live), so that the restarts can bind it again.
    static func freePort() throws -> Int {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<32_000, using: &rng)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            if Loopback.bind(fd, port: port) { return port }
        }
        throw TestSupportError("no free loopback port in 20000..<32000")
    }
}
