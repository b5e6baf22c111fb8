import ClassroomCore
import FoundationEssentials
import Testing

@Suite("Coverage on the verified basis: window, silent agents, streams, usage")
struct CoverageVerifiedTests {
    let zone = CoverageFixtures.zone

    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        zone.instant(of: LocalDate(year: 2026, month: 11, day: day), at: TimeOfDay(minutes: hour * 60 + minute))
    }

    var fullKit: HardwareInventory {
        HardwareInventory(
            cameras: [Camera(id: "usb-cam", name: "cam", devnode: "/dev/video0", vendorID: "046d", modelID: "0825", bus: "usb")],
            microphones: [
                AudioEndpoint(id: "mic", card: 1, device: 0, name: "USB Mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")
            ],
            speakers: [AudioEndpoint(id: "spk", card: 0, device: 0, name: "HDMI", pcm: "hw:0,0", devnode: "/dev/snd/pcmC0D0p")],
            touchscreens: [Touchscreen(id: "touch", name: "ILITEK", devnode: "/dev/input/event5")],
            displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected)])
    }

    func minute(_ date: Date, active: Bool) -> UsageMinute {
        UsageMinute(
            minuteStart: Int64(date.timeIntervalSince1970 * 1000), displayOn: true, touchEvents: active ? 12 : 0,
            speechSeconds: active ? 30 : 0, meanDBFS: -30, peakDBFS: -10, clippingRatio: 0,
            devicesPresent: DevicesPresent(fullKit))
    }

    func evidence(streamed: Bool = true) -> CoverageEvidence {
        CoverageEvidence(
            rooms: [
                "A1": RoomEvidence(inventory: fullKit, inventoryAt: at(24, 8), lastSeen: at(25, 20)),
                // Gone silent 10 days ago: its inventory no longer counts.
                "A2": RoomEvidence(inventory: fullKit, inventoryAt: at(15, 8), lastSeen: at(15, 9)),
                "A5": RoomEvidence(
                    inventory: fullKit, inventoryAt: at(25, 7), lastSeen: at(25, 21),
                    lastSuccessfulStream: streamed ? at(23, 10) : nil),
            ],
            usage: [
                // Monday 23rd, 08:10 (in the 08:00–08:40 lesson) active; Tuesday 24th only display on.
                "A1": [
                    minute(at(23, 8, 10), active: true), minute(at(24, 8, 10), active: false), minute(at(24, 12), active: true),
                ]
            ])
    }

    func report(_ evidence: CoverageEvidence) -> CoverageReport {
        CoverageCalculator(
            profile: CoverageFixtures.profile, registry: CoverageFixtures.registry, basis: .verified, evidence: evidence,
            at: CoverageFixtures.day, zone: zone
        ).report()
    }

    @Test func onlyRecentEvidenceCounts() throws {
        let a = try #require(report(evidence()).school("A"))
        let smart = try #require(a.indicator(.smartBlackboardClassCoverage, .primary))
        #expect(smart.value == 0.25)  // A1 only: A2's agent is silent beyond the window, A3/A4 have none
        #expect(smart.declaredValue == 0.5)
        #expect(smart.differsFromDeclared == true)
        #expect(a.indicator(.digitalClassroomCoverage, .primary)?.value == 0.25)
        // A1 and the recording room: display + agent online.
        #expect(a.indicator(.multimediaClassroomsPer100Students, .primary)?.value == 1.25)
        #expect(a.indicator(.networkAccess, .all)?.value == 1)
    }

    @Test func recordingNeedsASuccessfulStreamInTheWindow() throws {
        #expect(report(evidence()).school("A")?.indicator(.recordingClassrooms, .primary)?.value == 1)
        let without = try #require(report(evidence(streamed: false)).school("A"))
        #expect(without.indicator(.recordingClassrooms, .primary)?.value == 0)
        #expect(without.gap("recording_classroom", .primary)?.missing == 1)
    }

    @Test func usageRateCountsLessonPeriodsWithActivityInEquippedRooms() throws {
        let a = try #require(report(evidence()).school("A"))
        let usage = try #require(a.indicator(.usageRate, .primary))
        // A1's Monday and Tuesday lessons in the window; A3 (not equipped) is not counted.
        #expect(usage.denominator == 2)
        #expect(usage.numerator == 1)
        #expect(usage.value == 0.5)
        #expect(usage.met == false)
    }

    @Test func schoolsWithoutAgentsAreNotOnTheNetwork() throws {
        let r = report(evidence())
        #expect(r.school("B")?.indicator(.networkAccess, .all)?.value == 0)
        #expect(r.school("B")?.indicator(.smartBlackboardClassCoverage, .primary)?.value == 0)
        #expect(r.school("B")?.gap("network_connection", .all)?.missing == 1)
        let county = try #require(r.county.indicator(.networkAccess, .all))
        #expect(county.numerator == 1)
        #expect(county.denominator == 3)
        #expect(county.declaredValue == 1)
        // B has no equipped room with lessons: its usage is not assessed and the county rate is A's.
        #expect(r.county.indicator(.usageRate, .primary)?.value == 0.5)
    }

    @Test func disconnectedDisplayIsNoSmartBlackboard() {
        var kit = fullKit
        kit.displays = [Display(connector: "HDMI-A-1", card: "card0", status: .disconnected)]
        let room = Room(id: "R", schoolID: "A", name: "r", kind: .classroom, stage: .primary)
        let caps = RoomCapabilities.verified(
            room, evidence: RoomEvidence(inventory: kit, inventoryAt: at(25, 8), lastSeen: at(25, 8)), now: at(26, 0),
            window: .seconds(7 * 86_400))
        #expect(caps == [.networked])
    }
}
