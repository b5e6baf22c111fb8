import ClassroomAgent
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

/// Patrol (巡课) streams in the daemon's spot-check service: the spot-check wins over a patrol, a
/// patrol never displaces anything, and a stop naming an order ends only that order's stream. A stuck
/// script (`sleep`) stands in for ffmpeg; the outbox and the signer are real.
@Suite(.serialized) struct PatrolServiceTests {
    typealias Fixture = SpotCheckServiceTests.Fixture

    static func patrol(_ id: String) -> SpotCheckOrderPayload {
        var order = SpotCheckServiceTests.order(id)
        order.purpose = .patrol
        return order
    }

    /// Waits until the service streams `orderID` with a child process.
    static func streaming(_ orderID: String, in service: SpotCheckService) async throws {
        for _ in 0..<150 {
            if let s = service.liveStatus, s.orderID == orderID, s.ffmpegPID != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("order \(orderID) never streamed: \(String(describing: service.liveStatus))")
    }

    /// Polls for `count` evidence events; `advancing` moves the agent's clock on per poll (restart backoffs).
    static func evidence(_ f: Fixture, count: Int, advancing: Int64 = 0) async throws -> [SpotCheckEvidencePayload] {
        for _ in 0..<300 {
            let found = try await f.evidence()
            if found.count >= count { return found }
            f.clock.advance(byMillis: advancing)
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await f.evidence()
    }

    @Test func aSpotCheckPreemptsAPatrolAndAPatrolWaitsForTheSpotCheck() async throws {
        let stuck = try Fixture().script("exec sleep 120")
        let f = try Fixture(ffmpeg: stuck)
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        #expect(await f.service.start(Self.patrol("patrol-1"), commandID: "c1").status == "started")
        try await Self.streaming("patrol-1", in: f.service)
        let patrolPID = try #require(f.service.liveStatus?.ffmpegPID)
        #expect(f.service.liveStatus?.purpose == "patrol", "the status page says it is a patrol")

        let spot = await f.service.start(SpotCheckServiceTests.order("2026-W49-01"), commandID: "c2")
        #expect(spot.status == "started", "the spot-check wins: \(spot)")
        try await Self.streaming("2026-W49-01", in: f.service)
        #expect(f.service.liveStatus?.purpose == nil)
        #expect(kill(patrolPID, 0) == -1, "the patrol's ffmpeg was ended")
        let first = try await Self.evidence(f, count: 1)
        #expect(first.map(\.orderID) == ["patrol-1"])
        #expect(first.first?.stopReason == "preempted by spot-check order 2026-W49-01" && first.first?.fault == nil)

        let second = await f.service.start(Self.patrol("patrol-2"), commandID: "c3")
        #expect(second.status == "failed" && second.message == "busy: streaming order 2026-W49-01", "\(second)")
        let stale = await f.service.stop(orderID: "patrol-1", commandID: "c4")
        #expect(stale.status == "ignored", "a patrol's late stop leaves the spot-check alone: \(stale)")
        #expect(f.service.liveStatus?.orderID == "2026-W49-01" && f.service.liveStatus?.ffmpegPID != nil)

        let stop = await f.service.stop(orderID: "2026-W49-01", commandID: "c5")
        #expect(stop.status == "done", "\(stop)")
        let both = try await Self.evidence(f, count: 2)
        #expect(both.map(\.orderID) == ["patrol-1", "2026-W49-01"])
        #expect(both.last?.stopReason == "stopped by the collector")
    }

    @Test func aPatrolDoesNotDisplaceAnotherPatrolAndStopsByItsOrderID() async throws {
        let stuck = try Fixture().script("exec sleep 120")
        let f = try Fixture(ffmpeg: stuck)
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        #expect(await f.service.start(Self.patrol("patrol-a"), commandID: "c1").status == "started")
        try await Self.streaming("patrol-a", in: f.service)
        let other = await f.service.start(Self.patrol("patrol-b"), commandID: "c2")
        #expect(other.status == "failed" && other.message == "busy: streaming order patrol-a", "\(other)")
        let wrong = await f.service.stop(orderID: "patrol-b", commandID: "c3")
        #expect(wrong.status == "ignored" && wrong.message?.contains("patrol-b is not streaming") == true, "\(wrong)")
        let right = await f.service.stop(orderID: "patrol-a", commandID: "c4")
        #expect(right.status == "done" && right.message == "stopping order patrol-a", "\(right)")
        let evidence = try await Self.evidence(f, count: 1)
        #expect(evidence.map(\.orderID) == ["patrol-a"] && evidence.first?.stopReason == "stopped by the collector")
        #expect(f.service.liveStatus?.outcome == "stopped")
    }

    @Test func thePatrolNoticeSaysItIsAPatrol() async throws {
        let dir = try TestProcess.temporaryDirectory("patrol-notice")
        let log = dir.appending(path: "notice.txt").path
        let notify = dir.appending(path: "notify.sh").path
        try "#!/bin/sh\nprintf '%s|%s\\n' \"$1\" \"$2\" >> \(log)\n".write(toFile: notify, atomically: true, encoding: .utf8)
        chmod(notify, 0o755)
        let f = try Fixture(ffmpeg: "/bin/false", notify: notify)
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        #expect(await f.service.start(Self.patrol("patrol-n"), commandID: "c1").status == "started")
        #expect(try await Self.evidence(f, count: 1, advancing: 500).count == 1)
        var text = ""
        for _ in 0..<50 where !text.contains("\n") {
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(text.hasPrefix("巡课|巡课：") && text.contains("王老师") && text.contains("语文"), "\(text)")
    }
}
