import CSQLite
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Testing

@testable import ClassroomAgent

/// Corruption found while running: the outbox moves the file aside and continues with a fresh one.
@Suite struct OutboxRecoveryTests {
    @Test func corruptionWhileRunningStartsAFreshOutbox() async throws {
        let dir = try TestProcess.temporaryDirectory("outbox-recovery")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "outbox.db").path
        let outbox = try Outbox(path: path, logger: Logger(label: "test"), clock: .fixed(1_800_000_000_000))
        let before = try await outbox.append(
            .heartbeat(Heartbeat(agentVersion: "t", uptimeSeconds: 1, queueDepth: 0, droppedUsageTotal: 0)))
        #expect(await outbox.recoverIfCorrupt(SQLiteError(code: SQLITE_FULL, message: "full", sql: nil)) == false)
        #expect(await outbox.recoverIfCorrupt(SQLiteError(code: SQLITE_CORRUPT, message: "malformed", sql: nil)))
        let aside = try #require(await outbox.movedAsideFile)
        #expect(FileManager.default.fileExists(atPath: aside))
        #expect(await outbox.depth.count == 0)
        let after = try await outbox.append(
            .heartbeat(Heartbeat(agentVersion: "t", uptimeSeconds: 2, queueDepth: 0, droppedUsageTotal: 0)))
        #expect(after > before && after > 1_800_000_000_000 * 1000)
        #expect(try await outbox.pending().map(\.seq) == [after])
        #expect(await outbox.meta("moved_aside") == aside)
    }
}
