import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Testing

@testable import ClassroomAgent

/// The command bookkeeping of the outbox: one transaction per result, started marks, answered commands.
@Suite struct OutboxCommandTests {
    static func fresh() throws -> (URL, Outbox) {
        let dir = try TestProcess.temporaryDirectory("outbox-commands")
        return (dir, try Outbox(path: dir.appending(path: "o.db").path, logger: Logger(label: "test")))
    }

    /// A second connection to the same file adds a trigger that refuses every new event.
    static func refuseEvents(_ dir: URL) throws {
        let db = try SQLiteConnection(path: dir.appending(path: "o.db").path)
        try db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'injected: no events'); END")
        db.close()
    }

    @Test func finishCommandIsOneTransaction() async throws {
        let (dir, outbox) = try Self.fresh()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = AgentCommand(id: "cmd-1", kind: .chime, issuedAt: 5)
        _ = try await outbox.persistCommands([c])
        try await outbox.markCommandStarted("cmd-1")
        try Self.refuseEvents(dir)
        await #expect(throws: OutboxError.self) {
            try await outbox.finishCommand(CommandResult(commandID: "cmd-1", status: "done"))
        }
        // The result event could not be written, so the command is not finished either.
        #expect(await outbox.commandState("cmd-1") == "started")
        #expect(try await outbox.pending().isEmpty)
    }

    @Test func recordingAnsweredCommandsIsOneTransaction() async throws {
        let (dir, outbox) = try Self.fresh()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.refuseEvents(dir)
        await #expect(throws: OutboxError.self) {
            try await outbox.recordAnswered([("reboot", CommandResult(commandID: "x", status: "ignored", message: "unknown"))])
        }
        #expect(await outbox.commandState("x") == nil, "answered again on the next poll")
    }

    @Test func answeredCommandsAreRecordedOnceWithTheirResult() async throws {
        let (dir, outbox) = try Self.fresh()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ignored = CommandResult(commandID: "x", status: "ignored", message: "unknown command kind 'reboot'")
        #expect(try await outbox.recordAnswered([("reboot", ignored), ("reboot", ignored)]) == [ignored])
        #expect(try await outbox.recordAnswered([("reboot", ignored)]).isEmpty, "a repeated item is not answered twice")
        #expect(await outbox.commandState("x") == "finished")
        #expect(try await outbox.pending().map(\.body) == [.commandResult(ignored)])
    }

    @Test func aStartedCommandIsInterruptedNotUnfinished() async throws {
        let (dir, outbox) = try Self.fresh()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = AgentCommand(id: "a", kind: .chime, issuedAt: 5)
        let b = AgentCommand(id: "b", kind: .inventoryRefresh, issuedAt: 6)
        _ = try await outbox.persistCommands([a, b])
        try await outbox.markCommandStarted("a")
        #expect(await outbox.unfinishedCommands() == [b])
        #expect(await outbox.interruptedCommands() == [a])
    }
}
