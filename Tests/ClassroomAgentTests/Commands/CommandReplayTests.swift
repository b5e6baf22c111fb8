import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Synchronization
import Testing

@testable import ClassroomAgent

/// A command whose previous attempt never finished (the agent crashed while acting on it) is failed at
/// the next start instead of being run again: a poisonous command cannot crash-loop the daemon.
@Suite struct CommandReplayTests {
    final class Recorder: CommandHandler {
        let handled = Mutex<[String]>([])
        func handle(_ command: AgentCommand) async -> CommandResult {
            handled.withLock { $0.append(command.id) }
            return CommandResult(commandID: command.id, status: "done")
        }
    }

    @Test func anInterruptedCommandIsFailedAndAReceivedOneResumed() async throws {
        let dir = try TestProcess.temporaryDirectory("replay")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "outbox.db").path
        do {
            // The previous run: two commands received, the first started, then the process died.
            let before = try Outbox(path: path, logger: Logger(label: "test"))
            _ = try await before.persistCommands([
                AgentCommand(id: "poison", kind: .chime, issuedAt: 1_796_342_400_000),
                AgentCommand(id: "next", kind: .inventoryRefresh, issuedAt: 1_796_342_400_000),
            ])
            try await before.markCommandStarted("poison")
        }
        let outbox = try Outbox(path: path, logger: Logger(label: "test"))
        let recorder = Recorder()
        // No collector (nothing listens on port 9): the poll fails and backs off; the start-up work is local.
        let api = CollectorAPI(
            baseURL: "http://127.0.0.1:9", credential: "cfd_x", client: try HTTPClient(caBundle: nil, userAgent: "t"),
            timeoutSeconds: 2)
        let poller = CommandPoller(
            outbox: outbox, api: api, handler: recorder, logger: Logger(label: "test"), waitSeconds: 1, backoffCap: 0.5)
        let task = Task { try await poller.run() }
        defer { task.cancel() }
        let settled = try await ClassroomdProcess.eventually(90) {
            let poison = await outbox.commandState("poison")
            let next = await outbox.commandState("next")
            return poison == "finished" && next == "finished"
        }
        #expect(settled)
        #expect(recorder.handled.withLock { $0 } == ["next"], "the interrupted command is never run again")
        let results = try await outbox.pending().compactMap { event -> CommandResult? in
            if case .commandResult(let r) = event.body { r } else { nil }
        }
        let poison = try #require(results.first { $0.commandID == "poison" })
        #expect(poison.status == "failed" && poison.message?.contains("interrupted") == true, "\(poison)")
        #expect(results.first { $0.commandID == "next" }?.status == "done")
    }
}
