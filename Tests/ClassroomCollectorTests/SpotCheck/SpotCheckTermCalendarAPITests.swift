import ClassroomCore
import Foundation
import HummingbirdTesting
import Logging
import Testing

@testable import ClassroomCollector

/// The collector with a term calendar: stored by both stores, no draw in a week without school
/// (API, scheduler, console), and a make-up Saturday's lesson ordered on the Saturday.
@Suite("Spot-check with the term calendar")
struct SpotCheckTermCalendarAPITests {
    static let audit = AuditEntry(at: 1, actor: "test", action: "registry.import", target: "registry", schoolID: nil, detail: "")

    /// The harness clock is Monday 2026-09-21 evening (W39). W40 (9-28 … 10-04) is all holiday;
    /// in W41 Tuesday 10-06 is off and Saturday 10-10 is worked with Tuesday's timetable.
    static let calendar = """
        date,kind,note,timetable_weekday
        2026-09-01,term_start,秋季学期,
        2026-09-28,holiday,国庆节,
        2026-09-29,holiday,国庆节,
        2026-09-30,holiday,国庆节,
        2026-10-01,holiday,国庆节,
        2026-10-02,holiday,国庆节,
        2026-10-06,holiday,国庆节,
        2026-10-10,workday,调休，按周二课表,2
        2027-01-22,term_end,,
        """

    static func registry(calendar: Bool = true) throws -> Registry {
        var files = TestRegistry.files()
        if calendar { files[RegistryLoader.calendarFile] = Array(Self.calendar.utf8) }
        return try RegistryLoader.load(files).registry
    }

    @Test("the calendar is stored with the registry and replaced with it", arguments: StoreKind.allCases)
    func stored(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.termCalendar() == nil)
            let registry = try Self.registry()
            _ = try await store.replaceRegistry(registry, audit: Self.audit)
            let calendar = try #require(try await store.termCalendar())
            #expect(calendar == registry.calendar)
            #expect(calendar.days.first { $0.kind == .workday }?.timetableWeekday == 2)
            #expect(try await store.registry() == RegistryRows.canonical(registry))
            _ = try await store.replaceRegistry(try Self.registry(calendar: false), audit: Self.audit)
            #expect(try await store.termCalendar() == nil)
            #expect(try await store.registry().calendar == nil)
        }
    }

    @Test("a holiday week is not drawn and says so; a make-up Saturday is called on the Saturday", arguments: StoreKind.allCases)
    func holidayWeek(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await SpotCheckHarness.make(store)
            _ = try await store.replaceRegistry(try Self.registry(), audit: Self.audit)
            try await h.application().test(.router) { client in
                _ = try await SpotCheckDrawTests.fleet(client, h)
                let refused = try await client.call(
                    .post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W40", "count": 5, "beacon": "b"])
                #expect(refused.status == .unprocessableContent)
                #expect(refused.error?.error == "no_school_day")
                #expect(refused.error?.message == "field 'week': week 2026-W40 has no school day (国庆节): no draw")
                #expect(try await store.spotCheckDraw(week: "2026-W40") == nil)
                let view = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W40", token: h.admin)
                #expect(view.json["drawn"] as? Bool == false)
                let off = try #require(view.json["no_school"] as? [String: Any])
                #expect(off["kind"] as? String == "holidays" && off["reason_zh"] as? String == "国庆节")

                // W41 may follow W39 directly. T2 teaches in R2 on Tuesdays: 10-06 is off, so the
                // lesson is the one of Saturday 10-10; T3 (R3, Wednesday) as usual. R1 has no camera.
                let drawn = try await client.call(
                    .post, "/api/v1/spotcheck/draws", token: h.admin, json: ["week": "2026-W41", "count": 5, "beacon": "b"])
                #expect(drawn.status == .created, "\(drawn.text)")
                #expect(drawn.json["orders"] as? Int == 2)
                let orders = try await store.spotCheckOrders(week: "2026-W41", schoolID: nil)
                let t2 = try #require(orders.first { $0.teacherID == "T2" })
                #expect(t2.weekday == 6)
                #expect(t2.lessonStart == h.instant("2026-W41", weekday: 6, "10:00"))
                #expect(orders.first { $0.teacherID == "T3" }?.weekday == 3)
                let week = try await client.call(.get, "/api/v1/spotcheck/weeks/2026-W41", token: h.admin)
                #expect(week.json["no_school"] == nil)
            }
        }
    }

    @Test("the scheduler skips a week without school")
    func scheduler() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            _ = try await store.replaceRegistry(try Self.registry(), audit: Self.audit)
            try await h.application().test(.router) { client in
                _ = try await SpotCheckDrawTests.fleet(client, h)
                let scheduler = SpotCheckScheduler(
                    drawer: SpotCheckDrawer(store: store, configuration: h.configuration),
                    schedule: try #require(SpotCheckSchedule(parsing: "Mon 22:00", count: 5, beaconFile: nil)),
                    logger: Logger(label: "scheduler-test"))
                // Monday 22:13 of W39: W40 is due, but it has no school day.
                #expect(try await scheduler.tick(now: h.clock.now) == nil)
                #expect(try await store.latestSpotCheckDrawSummary() == nil)
                // Without the calendar the same tick draws W40.
                _ = try await store.replaceRegistry(try Self.registry(calendar: false), audit: Self.audit)
                #expect(try await scheduler.tick(now: h.clock.now)?.week == "2026-W40")
            }
        }
    }

    @Test("the console says 本周无教学日 and offers no draw")
    func console() async throws {
        try await withStore(.sqlite) { store in
            let h = try await SpotCheckHarness.make(store)
            _ = try await store.replaceRegistry(try Self.registry(), audit: Self.audit)
            try await h.application().test(.router) { client in
                let admin = try await ConsoleTestSession.signIn(client, token: h.admin)
                let holiday = try await admin.get(client, "/spotchecks?week=2026-W40")
                #expect(holiday.status == .ok)
                #expect(holiday.text.contains("<p class=\"note\" id=\"no-school\">本周无教学日（国庆节），不抽查</p>"))
                #expect(!holiday.text.contains("action=\"/spotchecks/draw\""))
                let english = try await admin.get(client, "/spotchecks?week=2026-W40&lang=en")
                #expect(english.text.contains("No school day this week (国庆节): no draw."))
                let school = try await admin.get(client, "/spotchecks?week=2026-W41")
                #expect(!school.text.contains("id=\"no-school\""))
                #expect(school.text.contains("action=\"/spotchecks/draw\""))
            }
        }
    }
}
