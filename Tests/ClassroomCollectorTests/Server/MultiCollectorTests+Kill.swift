import ClassroomTestSupport
import Foundation
import Testing

extension MultiCollectorTests {
    @Test(
        "three collectors behind nginx, one SIGKILLed while real agents upload: they carry on through the others, nothing lost or doubled"
    )
    func killedCollectorBehindNginx() async throws {
        try await Self.onPostgres { database, dir in try await killBehindNginx(database, dir) }
    }

    private func killBehindNginx(_ database: CollectorDatabase, _ dir: URL) async throws {
        let fleet = try await CollectorFleet.start(3, on: database, in: dir, serveArguments: ["--no-selftest"])
        defer { fleet.stop() }
        let nginx = try CollectorsBehindNginx.start(collectors: fleet.collectors, in: dir)
        defer { nginx.stop() }
        // The agents and the operator know only nginx's address.
        let first = fleet.collectors[0]
        let front = RunningCollector(
            process: first.process, base: nginx.base, adminToken: first.adminToken, database: first.database)
        let machines = CollectorKillNineTests.machines
        let agents = try EnrolledAgent.enroll(machines.map(\.room), on: front, in: dir)
        var members: [(agent: EnrolledAgent, machine: SimulatedMachine, process: Process, device: String, microphone: String)] =
            []
        defer {
            for member in members where member.process.isRunning { member.process.terminate() }
            for member in members { member.machine.stop() }
        }
        for (agent, spec) in zip(agents, machines) {
            try agent.daemon.writeConfig(
                collector: nginx.base, extra: "heartbeat_seconds = 0.01\nmicrophone = \"\(spec.microphone)\"\n")
            let machine = try SimulatedMachine(tree: spec.tree)
            let process = try agent.daemon.start(environment: machine.environment)
            members.append((agent, machine, process, try #require(try agent.daemon.status().device_id), spec.microphone))
        }
        let uploading = try await ClassroomdProcess.eventually(60) {
            try members.allSatisfy { try $0.agent.daemon.status().last_upload_at != nil }
        }
        try #require(uploading, "the agents never uploaded: \(members.map { $0.agent.daemon.log.suffix(1500) })")
        try await Task.sleep(for: .seconds(2))

        let victim = fleet.collectors[1]
        kill(victim.process.processIdentifier, SIGKILL)
        victim.process.waitUntilExit()
        let killedAt = Int64(Date().timeIntervalSince1970 * 1000)
        let storedBefore = try database.query("SELECT count(*) FROM events").first?.first.flatMap { Int($0) } ?? 0
        // Every agent uploads again after the kill (through the two collectors left).
        let carriedOn = try await ClassroomdProcess.eventually(60) {
            try members.allSatisfy { try ($0.agent.daemon.status().last_upload_at ?? 0) > killedAt + 2000 }
        }
        let afterKill = try members.map { try $0.agent.daemon.status() }
        #expect(carriedOn, "not every agent uploaded after the kill: \(afterKill)")
        let storedAfter = try database.query("SELECT count(*) FROM events").first?.first.flatMap { Int($0) } ?? 0
        #expect(storedAfter > storedBefore, "no event stored after the kill (\(storedBefore) before, \(storedAfter) after)")

        // Heartbeats once an hour from now (SIGHUP reload): the outboxes drain, then everything is stored once.
        for member in members {
            try member.agent.daemon.writeConfig(
                collector: nginx.base, extra: "heartbeat_seconds = 3600\nmicrophone = \"\(member.microphone)\"\n")
            kill(member.process.processIdentifier, SIGHUP)
        }
        let drained = try await ClassroomdProcess.eventually(90) {
            try members.allSatisfy { member in
                let status = try member.agent.daemon.status()
                let stored = Set(try database.storedSequenceNumbers(device: member.device))
                return status.queue_depth == 0 && stored.isSuperset(of: 1...(status.last_sequence ?? 0))
            }
        }
        let statuses = try members.map { try $0.agent.daemon.status() }
        #expect(drained, "the outboxes did not drain: \(statuses)")
        for member in members { #expect(await ClassroomdProcess.stop(member.process, signal: SIGTERM)) }
        for member in members {
            try CollectorKillNineTests.expectExactlyOnce(member.agent.daemon, device: member.device, in: database)
        }
    }
}
