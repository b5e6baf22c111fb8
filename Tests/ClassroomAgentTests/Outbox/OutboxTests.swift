import ClassroomAgent
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Testing

/// The SQLite outbox: durability across reopen, the bound, corruption, disk full, commands.
@Suite struct OutboxTests {
    static let logger = Logger(label: "test")

    static func minute(_ i: Int) -> AgentEventBody {
        .usageMinute(
            UsageMinute(
                minuteStart: Int64(i) * 60_000, displayOn: true, touchEvents: i, speechSeconds: 12, meanDBFS: -40,
                peakDBFS: -10, clippingRatio: 0, devicesPresent: DevicesPresent()))
    }

    static func evidence(_ i: Int) -> AgentEventBody {
        .evidence(SignedEvidence(orderID: "order-\(i)", payload: "cGF5bG9hZA==", signature: "c2ln"))
    }

    @Test func appendedEventsSurviveReopenUntilAcknowledged() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "outbox.db").path
        var seqs: [Int64] = []
        do {
            let outbox = try Outbox(path: path, logger: Self.logger)
            for i in 0..<5 { seqs.append(try await outbox.append(Self.minute(i), at: Int64(i))) }
        }
        #expect(seqs == seqs.sorted() && Set(seqs).count == 5)
        let reopened = try Outbox(path: path, logger: Self.logger)
        let pending = try await reopened.pending()
        #expect(pending.map(\.seq) == seqs)
        #expect(pending[3].body == Self.minute(3))
        try await reopened.acknowledge(through: seqs[2])
        #expect(try await reopened.pending().map(\.seq) == Array(seqs[3...]))
        #expect(await reopened.depth.count == 2)
    }

    @Test func concurrentAppendsGetDistinctSequenceNumbers() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Outbox(path: dir.appending(path: "o.db").path, logger: Self.logger)
        let seqs = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<200 { group.addTask { try await outbox.append(Self.minute(i)) } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(seqs).count == 200)
        #expect(try await outbox.pending(limit: 500).count == 200)
    }

    @Test func fullOutboxDropsOldestUsageButKeepsEvidence() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Outbox(path: dir.appending(path: "o.db").path, maximumBytes: 8_000, logger: Self.logger)
        for i in 0..<200 {
            try await outbox.append(Self.minute(i))
            if i % 20 == 0 { try await outbox.append(Self.evidence(i)) }
        }
        let pending = try await outbox.pending(limit: 5000)
        let evidence = pending.filter { $0.body.kind == "evidence" }
        #expect(evidence.count == 10, "evidence is never dropped")
        let drops = pending.compactMap { e -> DroppedUsage? in
            if case .usageDropped(let d) = e.body { return d }
            return nil
        }
        let minutes = pending.filter { $0.body.kind == "usage_minute" }
        #expect(!drops.isEmpty)
        #expect(drops.reduce(0) { $0 + $1.count } + Int64(minutes.count) == 200, "every minute is either kept or counted")
        #expect(await outbox.droppedUsageTotal == 200 - Int64(minutes.count))
        // The newest minute is kept: dropping is oldest-first.
        #expect(minutes.last?.body == Self.minute(199))
        let bytes = await outbox.depth.bytes
        #expect(bytes <= 8_000 + 2_000, "queued \(bytes) bytes")
        #expect(drops.count == 1, "reports not yet sent are merged into one")
    }

    @Test func corruptFileIsMovedAsideAndAFreshOutboxStarts() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "outbox.db").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(filePath: path))
        let outbox = try Outbox(path: path, logger: Self.logger, clock: .fixed(1_700_000_000_000))
        let aside = try #require(await outbox.movedAsideFile)
        #expect(FileManager.default.fileExists(atPath: aside))
        let seq = try await outbox.append(Self.minute(1))
        #expect(seq > 1_700_000_000_000 * 1000, "a fresh outbox never reuses sequence numbers")
    }

    @Test func diskFullIsAnErrorTheCallerSurvives() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Outbox(path: dir.appending(path: "o.db").path, logger: Self.logger, maximumPageCount: 12)
        var full: OutboxError?
        for i in 0..<2000 {
            do {
                try await outbox.append(Self.evidence(i))
            } catch let error as OutboxError {
                full = error
                break
            }
        }
        guard case .diskFull = try #require(full) else {
            Issue.record("expected diskFull, got \(String(describing: full))")
            return
        }
        // After acknowledging (space freed), appends work again.
        let pending = try await outbox.pending()
        try await outbox.acknowledge(through: pending.last!.seq)
        try await outbox.append(Self.evidence(9999))
        #expect(try await outbox.pending().count == 1)
    }

    @Test func commandsArePersistedOnceAndFinishedWithAResult() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Outbox(path: dir.appending(path: "o.db").path, logger: Self.logger)
        let c = AgentCommand(id: "cmd-1", kind: .chime, issuedAt: 5)
        #expect(try await outbox.persistCommands([c]).map(\.id) == ["cmd-1"])
        #expect(try await outbox.persistCommands([c]).isEmpty, "a repeated command is not acted on twice")
        #expect(await outbox.unfinishedCommands() == [c])
        try await outbox.finishCommand(CommandResult(commandID: "cmd-1", status: "done"))
        #expect(await outbox.unfinishedCommands().isEmpty)
        #expect(await outbox.commandState("cmd-1") == "finished")
        #expect(try await outbox.pending().last?.body == .commandResult(CommandResult(commandID: "cmd-1", status: "done")))
    }
}
