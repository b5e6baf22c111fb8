import ClassroomCore
import Foundation
import Logging
import ServiceLifecycle

/// Queues each recording room's weekly self-test: once per ISO week, for every room the registry
/// declares `recording` whose machine is enrolled (and not revoked), at the room's
/// ``SelfTestPlanner`` slot of the week, and again on a later school day when it did not stream
/// (``nextAttempt(after:now:notBefore:zone:configuration:minimumStreamedFraction:)``).
/// ``SpotCheckDispatcher`` then sends it like any order.
///
/// - Important: idempotent across restarts and collectors: the order id is a function of the week and
///   the room (``SelfTestOrders/id(week:roomID:)``) and the table's primary key admits it once; a
///   collector that loses the race finds the row and moves on.
public struct SelfTestScheduler: Sendable {
    let store: any CollectorStore
    let spotcheck: SpotCheckConfiguration
    let configuration: SelfTestConfiguration

    public init(store: any CollectorStore, spotcheck: SpotCheckConfiguration, configuration: SelfTestConfiguration) {
        self.store = store
        self.spotcheck = spotcheck
        self.configuration = configuration
    }

    /// Queues this week's missing self-tests at `now`; returns the orders this call stored.
    @discardableResult
    public func tick(now t: Int64, logger: Logger) async throws -> [SpotCheckOrderRecord] {
        let zone = spotcheck.zone
        let week = ISOWeek(containing: zone.localTime(of: Self.date(t)).date)
        // A slot must leave the dispatcher its lead time and a minute of slack.
        let earliest = zone.localTime(of: Self.date(t + (spotcheck.leadSeconds + 60) * 1000))
        let notBefore = (date: earliest.date, minutes: earliest.time.minutes + (earliest.second > 0 ? 1 : 0))
        let enrolled = Set(try await store.devices(schoolID: nil).filter { $0.revokedAt == nil }.compactMap(\.roomID))
        let registry = try await store.registry()
        let rooms = registry.rooms.filter { $0.kind == .recording && enrolled.contains($0.id) }
        guard !rooms.isEmpty else { return [] }
        let orders = try await store.spotCheckOrders(week: week.description, schoolID: nil).filter(\.isSelfTest)
        let attempts = Dictionary(grouping: orders, by: \.roomID)
        let calendar = try await store.termCalendar() ?? .unrestricted
        var lessons: [String: [Lesson]] = [:]
        for lesson in registry.lessons { lessons[lesson.roomID, default: []].append(lesson) }
        var queued: [SpotCheckOrderRecord] = []
        for room in rooms {
            guard
                let next = Self.nextAttempt(
                    after: attempts[room.id] ?? [], now: t, notBefore: notBefore, zone: zone, configuration: configuration,
                    minimumStreamedFraction: spotcheck.minimumStreamedFraction),
                let slot = SelfTestPlanner.slot(
                    roomID: room.id, week: week, lessons: lessons[room.id] ?? [], calendar: calendar,
                    window: configuration.window, marginMinutes: configuration.marginMinutes, notBefore: next.notBefore)
            else { continue }
            let order = Self.order(room: room, week: week, attempt: next.number, slot: slot, zone: zone, now: t)
            let retry = next.number > 1 ? ", attempt \(next.number) of \(configuration.attempts) (no stream before)" : ""
            do {
                try await store.insertSpotCheckOrder(
                    order,
                    audit: AuditEntry(
                        at: t, actor: "collector:selftest", action: "selftest.schedule", target: "spotcheck_order:\(order.id)",
                        schoolID: room.schoolID, detail: "room \(room.id) on \(slot.date) at \(slot.start)\(retry)"))
            } catch {
                // Another collector stored the same order first: the primary key refused ours.
                if try await store.spotCheckOrder(id: order.id) != nil { continue }
                throw error
            }
            logger.info(
                next.number > 1 ? "self-test did not stream; retrying on a later school day" : "self-test scheduled",
                metadata: [
                    "order": "\(order.id)", "room": "\(room.id)", "at": "\(slot.date) \(slot.start)", "attempt": "\(next.number)",
                ])
            queued.append(order)
        }
        return queued
    }

    /// Which self-test a room needs next this week, given the week's `attempts` so far: the first when it
    /// has none; none while one is pending (its window plus ``SelfTestConfiguration/settleMillis`` not
    /// over) or once one streamed; else the next attempt, up to ``SelfTestConfiguration/attempts``, not
    /// before the school day after the last one (what stops a publish — the machine off at noon, the
    /// network down — tends to last the day).
    static func nextAttempt(
        after attempts: [SpotCheckOrderRecord], now: Int64, notBefore: (date: LocalDate, minutes: Int),
        zone: CountyTimeZone, configuration: SelfTestConfiguration, minimumStreamedFraction: Double
    ) -> (number: Int, notBefore: (date: LocalDate, minutes: Int))? {
        guard let last = attempts.max(by: { $0.lessonStart < $1.lessonStart }) else { return (1, notBefore) }
        if attempts.contains(where: { $0.streamSucceeded(minimumStreamedFraction: minimumStreamedFraction) }) { return nil }
        if attempts.contains(where: { now <= $0.lessonEnd + SelfTestConfiguration.settleMillis }) { return nil }
        guard attempts.count < configuration.attempts else { return nil }
        let lastDay = zone.localTime(of: date(last.lessonStart)).date
        let nextDay = LocalDate(daysSinceEpoch: lastDay.daysSinceEpoch + 1)
        let earliest = notBefore.date > nextDay ? notBefore : (nextDay, 0)
        return (attempts.count + 1, earliest)
    }

    /// The order of `room`'s self-test at `slot`: its window is the publish itself.
    static func order(
        room: Room, week: ISOWeek, attempt: Int = 1, slot: SelfTestSlot, zone: CountyTimeZone, now: Int64
    ) -> SpotCheckOrderRecord {
        let start = Int64((zone.instant(of: slot.date, at: slot.start).timeIntervalSince1970 * 1000).rounded())
        let minutes = max(1, (slot.durationSeconds + 59) / 60)
        return SpotCheckOrderRecord(
            id: SelfTestOrders.id(week: week, roomID: room.id, attempt: attempt), week: week.description,
            source: SelfTestOrders.source,
            position: 0, round: 0, teacherID: "", teacherName: "自检", schoolID: room.schoolID, roomID: room.id,
            weekday: slot.date.weekday, startMinute: slot.start.minutes, endMinute: min(1439, slot.start.minutes + minutes),
            subject: "自检推流", lessonStart: start, lessonEnd: start + Int64(slot.durationSeconds) * 1000, createdAt: now)
    }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}

/// Runs ``SelfTestScheduler/tick(now:logger:)`` every ``SelfTestConfiguration/interval`` until graceful shutdown.
public struct SelfTestService: Service {
    let scheduler: SelfTestScheduler
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(scheduler: SelfTestScheduler, logger: Logger, now: @escaping @Sendable () -> Int64 = collectorNow) {
        self.scheduler = scheduler
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            // The first pass waits one interval: the server migrates the store as it starts.
            while !Task.isCancelled {
                try? await Task.sleep(for: scheduler.configuration.interval)
                if Task.isCancelled { break }
                do {
                    try await scheduler.tick(now: now(), logger: logger)
                } catch {
                    logger.backgroundPassFailed("self-test scheduling pass", error: error)
                }
            }
        }
    }
}
