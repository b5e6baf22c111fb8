import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Logging
import Testing

@testable import ClassroomCollector

/// The microphone conditions from usage minutes ingested through the API: only minutes inside the
/// room's timetabled lesson count (R1: Monday 08:00–08:40), on both stores.
@Suite("Alert usage minutes")
struct AlertUsageTests {
    static let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)

    static func millis(_ date: LocalDate, _ hour: Int, _ minute: Int) -> Int64 {
        Int64(zone.instant(of: date, at: TimeOfDay(hour: hour, minute: minute)).timeIntervalSince1970 * 1000)
    }

    static func minutes(
        first seq: Int64, on date: LocalDate, from hour: Int, _ minute: Int, count: Int, speech: Double, peak: Double,
        clip: Double
    ) -> [AgentEvent] {
        (0..<count).map { i in
            let start = millis(date, hour, minute + i)
            return AgentEvent(
                seq: seq + Int64(i), at: start + 60_000,
                body: .usageMinute(
                    UsageMinute(
                        minuteStart: start, displayOn: true, touchEvents: 0, speechSeconds: speech, meanDBFS: peak - 10,
                        peakDBFS: peak, clippingRatio: clip, devicesPresent: DevicesPresent(microphones: 1, displays: 1))))
        }
    }

    @Test(
        "silent lesson minutes on two Mondays raise microphone_silent; clipping on the latest raises clipping; evenings do not count",
        arguments: StoreKind.allCases)
    func silentAndClipping(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            let earlier = LocalDate(year: 2026, month: 9, day: 14)
            let monday = LocalDate(year: 2026, month: 9, day: 21)
            h.clock.set(Self.millis(monday.adding(days: 1), 12, 0))
            try await h.application().test(.router) { client in
                let quiet = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let loud = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                var q = Self.minutes(first: 1, on: earlier, from: 8, 0, count: 20, speech: 0, peak: -75, clip: 0)
                q += Self.minutes(first: 21, on: monday, from: 8, 0, count: 20, speech: 0, peak: -75, clip: 0)
                // Loud in the evening (no lesson): still silent where it counts.
                q += Self.minutes(first: 41, on: monday, from: 19, 0, count: 5, speech: 30, peak: -5, clip: 0)
                var l = Self.minutes(first: 1, on: earlier, from: 8, 0, count: 20, speech: 20, peak: -10, clip: 0)
                l += Self.minutes(first: 21, on: monday, from: 8, 0, count: 20, speech: 20, peak: -1, clip: 0.3)
                for (device, events) in [(quiet, q), (loud, l)] {
                    let answer = try await client.send(
                        .post, AgentRoutes.events, token: device.credential, body: EventBatch(sentAt: h.clock.now, events: events)
                    )
                    #expect(answer.status == .ok, "\(answer.text)")
                }
                var c = AlertConfiguration()
                c.thresholds.silentDays = 2
                let evaluation = AlertEvaluation(store: store, configuration: c, zone: Self.zone, logger: Logger(label: "t"))
                let opened = try await evaluation.run(now: h.clock.now).opened
                #expect(
                    opened.map(\.key).sorted() == [
                        "microphone_clipping:device:\(loud.deviceID)", "microphone_silent:device:\(quiet.deviceID)",
                    ])
                let silent = try #require(opened.first { $0.kind == .microphoneSilent })
                #expect(silent.detail.contains("40 lesson minutes on 2 lesson days (2026-09-14…2026-09-21)"), "\(silent.detail)")
                let clipping = try #require(opened.first { $0.kind == .microphoneClipping })
                #expect(clipping.detail == "20 of 20 lesson minutes clipped on 2026-09-21")
            }
        }
    }
}
