import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Logging
import Testing

/// The collector's weekly self-test scheduler over both stores: one order per recording room with an
/// enrolled machine and week, inside the window, none in a week without school, none twice.
@Suite("Self-test scheduling")
struct SelfTestSchedulerTests {
    static let logger = Logger(label: "selftest-test")

    static func scheduler(_ h: SpotCheckHarness) -> SelfTestScheduler {
        SelfTestScheduler(store: h.base.store, spotcheck: h.configuration, configuration: SelfTestConfiguration())
    }

    /// Local weekday and minute of an instant in the harness zone.
    static func local(_ h: SpotCheckHarness, _ ms: Int64) -> (date: LocalDate, minutes: Int) {
        let t = h.configuration.zone.localTime(of: Date(timeIntervalSince1970: Double(ms) / 1000))
        return (t.date, t.time.minutes)
    }

    @Test("once per week per recording room, inside the window, and never twice", arguments: StoreKind.allCases)
    func oncePerWeek(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                // R2 is the registry's recording room (S1); R3 an ordinary classroom; R1 has no machine.
                _ = try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now)
                _ = try await client.enrollDevice(room: "R3", school: "S2", admin: h.admin, now: h.clock.now)
                h.setClock(h.instant("2026-W41", weekday: 1, "07:00"))
                let queued = try await Self.scheduler(h).tick(now: h.clock.now, logger: Self.logger)
                let order = try #require(queued.first)
                #expect(queued.count == 1)
                #expect(order.roomID == "R2" && order.schoolID == "S1" && order.source == "selftest" && order.isSelfTest)
                #expect(!order.isSpotCheck)
                #expect(order.id == SelfTestOrders.id(week: ISOWeek(year: 2026, week: 41), roomID: "R2"))
                #expect(order.week == "2026-W41" && order.lessonEnd - order.lessonStart == 60_000)
                let (day, minute) = Self.local(h, order.lessonStart)
                #expect(ISOWeek(containing: day).description == "2026-W41" && (1...5).contains(day.weekday))
                #expect((12 * 60 + 10...13 * 60 + 29).contains(minute))
                // The next pass, a restarted collector and a second collector find it and add nothing.
                h.clock.advance(seconds: 3600)
                #expect(try await Self.scheduler(h).tick(now: h.clock.now, logger: Self.logger).isEmpty)
                #expect(try await Self.scheduler(h).tick(now: h.clock.now, logger: Self.logger).isEmpty)
                let week = try await store.spotCheckOrders(week: "2026-W41", schoolID: nil)
                #expect(week.filter(\.isSelfTest).map(\.id) == [order.id])
                let audit = try await store.auditLog(schoolID: "S1", limit: 20)
                #expect(audit.filter { $0.action == "selftest.schedule" }.count == 1)
                // The next week brings the next one.
                h.setClock(h.instant("2026-W42", weekday: 1, "07:00"))
                let next = try await Self.scheduler(h).tick(now: h.clock.now, logger: Self.logger)
                #expect(next.map(\.week) == ["2026-W42"] && next.first?.id != order.id)
            }
        }
    }

    @Test("a week without school has no self-test; a late start keeps to what is left of the week")
    func holidaysAndLateStart() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            _ = try await store.replaceRegistry(
                try SpotCheckTermCalendarAPITests.registry(), audit: SpotCheckTermCalendarAPITests.audit)
            try await h.application().test(.router) { client in
                _ = try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now)
                // W40 (9-28 … 10-02) is the National Day holiday.
                h.setClock(h.instant("2026-W40", weekday: 1, "07:00"))
                #expect(try await Self.scheduler(h).tick(now: h.clock.now, logger: Self.logger).isEmpty)
                #expect(try await store.spotCheckOrders(week: "2026-W40", schoolID: nil).isEmpty)
                // W41 from Friday 13:20: only Friday 13:25 is left (13:20 + 60 s lead + 1 min of slack).
                h.setClock(h.instant("2026-W41", weekday: 5, "13:20"))
                let late = try await Self.scheduler(h).tick(now: h.clock.now, logger: Self.logger)
                let order = try #require(late.first)
                #expect(Self.local(h, order.lessonStart).minutes == 13 * 60 + 25)
                #expect(Self.local(h, order.lessonStart).date.weekday == 5)
            }
        }
    }

    @Test("a revoked machine or a room without one gets no self-test")
    func onlyEnrolledRooms() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now)
                #expect(
                    try await store.revokeDevice(
                        id: device.id, at: h.clock.now,
                        audit: AuditEntry(
                            at: h.clock.now, actor: "test", action: "device.revoke", target: device.id, schoolID: "S1", detail: ""
                        )))
                h.setClock(h.instant("2026-W41", weekday: 1, "07:00"))
                #expect(try await Self.scheduler(h).tick(now: h.clock.now, logger: Self.logger).isEmpty)
            }
        }
    }
}

/// A self-test that did not stream is tried again on a later school day of the week, up to the
/// configured number of attempts; one that streamed is the week's last.
@Suite("Self-test retries")
struct SelfTestRetryTests {
    static let logger = Logger(label: "selftest-retry-test")

    /// The first attempt of a week whose slot falls Monday to Wednesday (the slot is a hash of room and
    /// week, so the test looks for such a week), so that later school days are left for retries.
    static func firstEarlyAttempt(_ h: SpotCheckHarness, _ scheduler: SelfTestScheduler) async throws -> SpotCheckOrderRecord {
        for week in 41...50 {
            h.setClock(h.instant("2026-W\(week)", weekday: 1, "07:00"))
            let queued = try await scheduler.tick(now: h.clock.now, logger: Self.logger)
            let order = try #require(queued.first, "W\(week) has a self-test")
            if SelfTestSchedulerTests.local(h, order.lessonStart).date.weekday <= 3 { return order }
        }
        throw TestFailure("no week from W41 to W50 puts R2's self-test on Monday to Wednesday")
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test("no stream: retried on a later school day; a stream ends the week's attempts", arguments: StoreKind.allCases)
    func retriedUntilItStreams(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now)
                let scheduler = SelfTestSchedulerTests.scheduler(h)
                let first = try await Self.firstEarlyAttempt(h, scheduler)
                // While the first attempt may still report (its window plus the settling time), nothing more.
                h.setClock(first.lessonEnd + SelfTestConfiguration.settleMillis - 60_000)
                #expect(try await scheduler.tick(now: h.clock.now, logger: Self.logger).isEmpty)
                // It never streamed (the machine was off): the second attempt, on a later school day.
                h.setClock(first.lessonEnd + SelfTestConfiguration.settleMillis + 60_000)
                let second = try #require(try await scheduler.tick(now: h.clock.now, logger: Self.logger).first)
                let week = try #require(ISOWeek(parsing: first.week))
                #expect(second.id == SelfTestOrders.id(week: week, roomID: "R2", attempt: 2) && second.id != first.id)
                #expect(second.week == first.week && second.isSelfTest)
                #expect(
                    SelfTestSchedulerTests.local(h, second.lessonStart).date
                        > SelfTestSchedulerTests.local(h, first.lessonStart).date)
                // A second tick, or a second collector, adds nothing.
                #expect(try await scheduler.tick(now: h.clock.now, logger: Self.logger).isEmpty)
                // The second one streams its whole window (the media server's hooks).
                #expect(try await store.startSpotCheckPublish(orderID: second.id, at: second.lessonStart, addr: "127.0.0.1"))
                #expect(try await store.endSpotCheckPublish(orderID: second.id, at: second.lessonEnd))
                h.setClock(second.lessonEnd + SelfTestConfiguration.settleMillis + 60_000)
                #expect(try await scheduler.tick(now: h.clock.now, logger: Self.logger).isEmpty)
                let orders = try await store.spotCheckOrders(week: first.week, schoolID: nil).filter(\.isSelfTest)
                #expect(orders.map(\.id).sorted() == [first.id, second.id].sorted())
                let audit = try await store.auditLog(schoolID: "S1", limit: 50).filter { $0.action == "selftest.schedule" }
                #expect(audit.contains { $0.target == "spotcheck_order:\(second.id)" && $0.detail.contains("attempt 2 of 3") })
            }
        }
    }

    @Test("attempts stop at the configured number")
    func attemptsAreCapped() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await client.enrollDevice(room: "R2", school: "S1", admin: h.admin, now: h.clock.now)
                let scheduler = SelfTestScheduler(
                    store: h.base.store, spotcheck: h.configuration, configuration: SelfTestConfiguration(attempts: 2))
                let first = try await Self.firstEarlyAttempt(h, scheduler)
                h.setClock(first.lessonEnd + SelfTestConfiguration.settleMillis + 60_000)
                let second = try #require(try await scheduler.tick(now: h.clock.now, logger: Self.logger).first)
                // The second one fails too: a publish too short to count (10 s of a 60 s window).
                #expect(try await store.startSpotCheckPublish(orderID: second.id, at: second.lessonStart, addr: "127.0.0.1"))
                #expect(try await store.endSpotCheckPublish(orderID: second.id, at: second.lessonStart + 10_000))
                h.setClock(second.lessonEnd + SelfTestConfiguration.settleMillis + 60_000)
                #expect(try await scheduler.tick(now: h.clock.now, logger: Self.logger).isEmpty)
                let orders = try await store.spotCheckOrders(week: first.week, schoolID: nil).filter(\.isSelfTest)
                #expect(orders.count == 2)
            }
        }
    }
}
