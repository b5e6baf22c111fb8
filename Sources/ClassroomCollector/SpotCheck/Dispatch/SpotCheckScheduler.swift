import ClassroomCore
import Foundation
import Logging
import ServiceLifecycle

/// When the collector draws by itself: every week at `weekday` `time` (county zone) it draws the
/// following week, unless that week was drawn already (by hand or by another collector) or the
/// registry's term calendar gives it no school day.
public struct SpotCheckSchedule: Sendable, Hashable {
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var time: TimeOfDay
    public var count: Int
    /// A file whose content (trimmed) at draw time is the beacon; nil for an empty beacon.
    public var beaconFile: String?

    public init(weekday: Int, time: TimeOfDay, count: Int = 20, beaconFile: String? = nil) {
        self.weekday = weekday
        self.time = time
        self.count = count
        self.beaconFile = beaconFile
    }

    /// Parses `sun 20:00` (weekday names `mon` … `sun` or 1 … 7).
    public init?(parsing text: String, count: Int, beaconFile: String?) {
        let parts = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        guard parts.count == 2, let time = TimeOfDay(parsing: parts[1]) else { return nil }
        guard let day = names.firstIndex(of: String(parts[0].prefix(3))).map({ $0 + 1 }) ?? Int(parts[0]),
            (1...7).contains(day)
        else { return nil }
        self.init(weekday: day, time: time, count: count, beaconFile: beaconFile)
    }
}

/// Runs the weekly draw at the configured time; ``tick(now:)`` is one check, for tests.
public struct SpotCheckScheduler: Service {
    let drawer: SpotCheckDrawer
    let schedule: SpotCheckSchedule
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(
        drawer: SpotCheckDrawer, schedule: SpotCheckSchedule, logger: Logger,
        now: @escaping @Sendable () -> Int64 = collectorNow
    ) {
        self.drawer = drawer
        self.schedule = schedule
        self.now = now
        self.logger = logger
    }

    /// Draws the next week when its time has come this week and it is not drawn; returns the outcome.
    @discardableResult
    public func tick(now t: Int64) async throws -> SpotCheckDrawer.Outcome? {
        let zone = drawer.configuration.zone
        let local = zone.localTime(of: Date(timeIntervalSince1970: Double(t) / 1000))
        let week = ISOWeek(containing: local.date)
        let due = drawer.configuration.instant(week: week, weekday: schedule.weekday, minutes: schedule.time.minutes)
        guard t >= due, try await drawer.store.spotCheckDrawSummary(week: week.next.description) == nil else { return nil }
        if let latest = try await drawer.store.latestSpotCheckDrawSummary(), latest.week > week.next.description { return nil }
        // A week without a school day is not drawn; the console and the API say so for that week.
        if try await drawer.store.termCalendar()?.noSchool(in: week.next) != nil { return nil }
        let beacon = try schedule.beaconFile.map {
            try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let outcome = try await drawer.draw(
            week: week.next, count: schedule.count, beacon: beacon ?? "", actor: "collector:scheduler", now: t)
        logger.notice(
            "spot-check draw",
            metadata: ["week": "\(outcome.week)", "orders": "\(outcome.orders)", "commitment": "\(outcome.commitment)"])
        return outcome
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            // The first pass waits one interval: the server migrates the store as it starts.
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                if Task.isCancelled { break }
                do {
                    try await tick(now: now())
                } catch {
                    logger.backgroundPassFailed("scheduled spot-check draw", error: error)
                }
            }
        }
    }
}
