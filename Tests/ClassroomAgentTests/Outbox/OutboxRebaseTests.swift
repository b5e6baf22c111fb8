import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import Testing

@testable import ClassroomAgent

/// After a corrupt outbox is moved aside, new sequence numbers never collide with ones the collector holds.
@Suite(.serialized) struct OutboxRebaseTests {
    static func heartbeat(_ n: Int64) -> AgentEventBody {
        .heartbeat(Heartbeat(agentVersion: "t", uptimeSeconds: n, queueDepth: 0, droppedUsageTotal: 0))
    }

    /// A corrupt file at `path`, opened with a clock stuck at 1970 (a dead RTC battery): the fresh outbox
    /// starts its sequence at 1, where the collector already holds events.
    static func corruptOutbox(in dir: URL) throws -> Outbox {
        let path = dir.appending(path: "outbox.db").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(filePath: path))
        return try Outbox(path: path, logger: Logger(label: "test"), clock: .fixed(0))
    }

    @Test func theQueueIsRenumberedAboveTheCollectorsHighest() async throws {
        let dir = try TestProcess.temporaryDirectory("rebase")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Self.corruptOutbox(in: dir)
        #expect(await outbox.movedAsideFile != nil)
        #expect(await outbox.needsRebase)
        for n: Int64 in 1...3 { try await outbox.append(Self.heartbeat(n)) }
        #expect(try await outbox.pending().map(\.seq) == [1, 2, 3])
        await #expect(throws: OutboxError.self) { try await outbox.rebase(above: Int64.max) }
        await #expect(throws: OutboxError.self) { try await outbox.rebase(above: -1) }
        #expect(await outbox.needsRebase, "a refused value leaves the mark")
        #expect(try await outbox.rebase(above: 100) == 3)
        #expect(await !outbox.needsRebase)
        #expect(try await outbox.pending().map(\.seq) == [101, 102, 103])
        #expect(try await outbox.pending().map(\.body) == (1...3).map(Self.heartbeat), "order and bodies kept")
        #expect(try await outbox.append(Self.heartbeat(4)) == 104)
    }

    @Test func aQueueAlreadyAboveIsLeftAlone() async throws {
        let dir = try TestProcess.temporaryDirectory("rebase")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outbox = try Self.corruptOutbox(in: dir)
        try await outbox.append(Self.heartbeat(1))
        #expect(try await outbox.rebase(above: 0) == 0)
        #expect(try await outbox.pending().map(\.seq) == [1])
        #expect(await !outbox.needsRebase)
    }

    /// Through the real uploader and a peer that, like the collector, answers an empty batch with the
    /// device's highest stored seq: the events of the fresh outbox all arrive, none taken for a duplicate.
    @Test func noEventOfAFreshOutboxIsDroppedAsADuplicate() async throws {
        let dir = try TestProcess.temporaryDirectory("rebase")
        defer { try? FileManager.default.removeItem(at: dir) }
        let collector = try FakeCollector(directory: dir)
        let client = try HTTPClient(caBundle: nil, userAgent: "test")
        let enroll = CollectorAPI(baseURL: collector.baseURL, credential: nil, client: client, timeoutSeconds: 10)
        guard
            case .ok(let enrolled) = try await enroll.enroll(
                EnrollRequest(token: "cfe_test", roomID: "r1", publicKey: "", hostname: "h", agentVersion: "t"))
        else {
            Issue.record("enrollment failed")
            return
        }
        // The collector holds seqs 1…50 of the old outbox, which is then found corrupt.
        try await collector.hold((1...50).map { Int64($0) })
        let outbox = try Self.corruptOutbox(in: dir)
        for n: Int64 in 1...10 { try await outbox.append(Self.heartbeat(n)) }
        let api = CollectorAPI(baseURL: collector.baseURL, credential: enrolled.credential, client: client, timeoutSeconds: 10)
        let uploader = Uploader(
            outbox: outbox, api: api, logger: Logger(label: "test"), firstConnectJitter: 0, backoffCap: 0.5)
        let task = Task { try await uploader.run() }
        defer { task.cancel() }
        let drained = try await ClassroomdProcess.eventually(30) { await outbox.depth.count == 0 }
        #expect(drained)
        let device = try #require(try await collector.device())
        #expect(device.duplicates == 0, "no new event was taken for one the collector already held")
        #expect(device.seqs == (1...60).map { Int64($0) })
        #expect(device.empty_batches == 1, "one empty batch learned the collector's highest seq")
        #expect(try await outbox.append(Self.heartbeat(11)) == 61)
    }
}
