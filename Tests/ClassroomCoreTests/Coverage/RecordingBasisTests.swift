import ClassroomCore
import FoundationEssentials
import Testing

/// The recording-classroom rule with hand-computed figures on ``CoverageFixtures``: school A has one
/// recording room (A5) for 4 primary classes, so 1 is required and the indicator is A5's verdict (0 or 1).
@Suite("Recording classrooms verified by a spot-check or a self-test stream")
struct RecordingBasisTests {
    let zone = CoverageFixtures.zone

    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        zone.instant(of: LocalDate(year: 2026, month: 11, day: day), at: TimeOfDay(minutes: hour * 60 + minute))
    }

    func kit(camera: Bool = true, microphone: Bool = true) -> HardwareInventory {
        HardwareInventory(
            cameras: camera
                ? [Camera(id: "usb-cam", name: "cam", devnode: "/dev/video0", vendorID: "046d", modelID: "0825", bus: "usb")]
                : [],
            microphones: microphone
                ? [AudioEndpoint(id: "mic", card: 1, device: 0, name: "USB Mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")]
                : [],
            displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected)])
    }

    /// A5's evidence as of the fixture day (Wednesday 2026-11-25; the window is 11-19 00:00 … 11-26 00:00).
    func report(_ a5: RoomEvidence) -> CoverageReport {
        CoverageCalculator(
            profile: CoverageFixtures.profile, registry: CoverageFixtures.registry, basis: .verified,
            evidence: CoverageEvidence(rooms: ["A5": a5]), at: CoverageFixtures.day, zone: zone
        ).report()
    }

    func recording(_ r: CoverageReport) -> Double? { r.school("A")?.indicator(.recordingClassrooms, .primary)?.value }

    @Test func aRoomVerifiedBySelfTestOnlyCounts() throws {
        let r = report(
            RoomEvidence(inventory: kit(), inventoryAt: at(24, 12), lastSeen: at(25, 20), lastSelfTestStream: at(24, 12, 11)))
        #expect(recording(r) == 1)  // 1 verified ÷ ⌈4 / 18⌉ = 1 required
        #expect(r.school("A")?.gap("recording_classroom", .primary) == nil)
        #expect(r.school("A")?.recordingBasis == RecordingBasisTally(rooms: 1, selfTest: 1))
        #expect(r.recordingBasis == RecordingBasisTally(rooms: 1, selfTest: 1))
        #expect(r.recordingBasis?.verified == 1)
    }

    @Test func aSpotCheckIsTheBasisWhenBothStreamed() {
        let r = report(
            RoomEvidence(
                inventory: kit(), inventoryAt: at(24, 12), lastSeen: at(25, 20), lastSuccessfulStream: at(23, 9),
                lastSelfTestStream: at(24, 12, 11)))
        #expect(recording(r) == 1)
        #expect(r.recordingBasis == RecordingBasisTally(rooms: 1, spotCheck: 1))
    }

    @Test func equipmentWithoutAStreamIsNotVerified() throws {
        let r = report(RoomEvidence(inventory: kit(), inventoryAt: at(24, 12), lastSeen: at(25, 20)))
        #expect(recording(r) == 0)
        #expect(r.school("A")?.gap("recording_classroom", .primary)?.missing == 1)
        #expect(r.recordingBasis == RecordingBasisTally(rooms: 1, noStream: 1))
    }

    @Test func aSelfTestOutsideTheWindowIsNotVerified() {
        // 11-18 23:59 is one minute before the window opens; 11-26 08:00 is after the report's day.
        for stream in [at(18, 23, 59), at(26, 8)] {
            let r = report(
                RoomEvidence(inventory: kit(), inventoryAt: at(24, 12), lastSeen: at(25, 20), lastSelfTestStream: stream))
            #expect(recording(r) == 0)
            #expect(r.recordingBasis == RecordingBasisTally(rooms: 1, noStream: 1))
        }
        let edge = report(
            RoomEvidence(inventory: kit(), inventoryAt: at(24, 12), lastSeen: at(25, 20), lastSelfTestStream: at(19, 0)))
        #expect(recording(edge) == 1)
    }

    @Test func aSelfTestWithoutCameraOrMicrophoneIsNotVerified() {
        for inventory in [kit(camera: false), kit(microphone: false)] {
            let r = report(
                RoomEvidence(
                    inventory: inventory, inventoryAt: at(24, 12), lastSeen: at(25, 20), lastSelfTestStream: at(24, 12, 11)))
            #expect(recording(r) == 0)
            #expect(r.recordingBasis == RecordingBasisTally(rooms: 1, noEquipment: 1))
        }
        // An inventory older than the window proves nothing, even with a recent stream.
        let stale = report(
            RoomEvidence(inventory: kit(), inventoryAt: at(10, 8), lastSeen: at(25, 20), lastSelfTestStream: at(24, 12)))
        #expect(recording(stale) == 0)
        #expect(stale.recordingBasis == RecordingBasisTally(rooms: 1, noEquipment: 1))
    }

    @Test func theDeclaredBasisCarriesNoRecordingBasis() throws {
        let declared = CoverageCalculator(
            profile: CoverageFixtures.profile, registry: CoverageFixtures.registry, basis: .declared, at: CoverageFixtures.day,
            zone: zone
        ).report()
        #expect(declared.recordingBasis == nil)
        #expect(declared.schools.allSatisfy { $0.recordingBasis == nil })
    }

    @Test func theTallyEncodesEveryCountWithItsVerifiedSum() throws {
        let tally = RecordingBasisTally(rooms: 5, spotCheck: 1, selfTest: 2, noStream: 1, noEquipment: 1)
        let json = String(decoding: try JSONEncoder().encode(tally), as: UTF8.self)
        for part in [
            "\"rooms\":5", "\"verified\":3", "\"verified_by_spotcheck\":1", "\"verified_by_selftest\":2",
            "\"equipped_no_stream\":1",
            "\"no_equipment\":1",
        ] {
            #expect(json.contains(part))
        }
        #expect(try JSONDecoder().decode(RecordingBasisTally.self, from: Data(json.utf8)) == tally)
    }
}
