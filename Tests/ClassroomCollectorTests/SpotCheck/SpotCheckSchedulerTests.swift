import ClassroomCollector
import ClassroomCore
import Foundation
import HummingbirdTesting
import Logging
import Testing

@Suite("Spot-check weekly scheduler")
struct SpotCheckSchedulerTests {
    @Test("draws the following week once its time has come, and only once")
    func drawsOnce() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            try await h.application().test(.router) { client in
                _ = try await SpotCheckDrawTests.fleet(client, h)
                let drawer = SpotCheckDrawer(store: store, configuration: h.configuration)
                let logger = Logger(label: "scheduler-test")
                // The clock is Monday 22:13 of 2026-W39 in the county.
                let sunday = SpotCheckScheduler(
                    drawer: drawer, schedule: try #require(SpotCheckSchedule(parsing: "sun 20:00", count: 5, beaconFile: nil)),
                    logger: logger)
                #expect(try await sunday.tick(now: h.clock.now) == nil)
                let monday = SpotCheckScheduler(
                    drawer: drawer, schedule: try #require(SpotCheckSchedule(parsing: "Mon 22:00", count: 5, beaconFile: nil)),
                    logger: logger)
                let outcome = try await monday.tick(now: h.clock.now)
                #expect(outcome?.week == "2026-W40")
                #expect(outcome?.orders == 2)
                #expect(try await monday.tick(now: h.clock.now) == nil)
                #expect(try await store.auditLog(schoolID: nil, limit: 5).first?.actor == "collector:scheduler")
            }
        }
    }

    @Test("schedule text is checked")
    func parsing() {
        #expect(SpotCheckSchedule(parsing: "sun 20:00", count: 20, beaconFile: nil)?.weekday == 7)
        #expect(SpotCheckSchedule(parsing: "1 06:30", count: 20, beaconFile: nil)?.time == TimeOfDay(hour: 6, minute: 30))
        for bad in ["", "sunday", "xyz 20:00", "8 20:00", "sun 25:00", "sun 20:00 extra"] {
            #expect(SpotCheckSchedule(parsing: bad, count: 20, beaconFile: nil) == nil)
        }
    }
}
