import ClassroomCore
import Testing

@Suite("Usage minute from hardware figures")
struct UsageMinuteAssemblyTests {
    static let panel = HardwareInventory(
        cameras: [Camera(id: "c", name: "cam", devnode: "/dev/video0", vendorID: "046d", modelID: "082d", bus: "usb")],
        microphones: [AudioEndpoint(id: "m", card: 1, device: 0, name: "mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")],
        displays: [
            Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On"),
            Display(connector: "DP-1", card: "card0", status: .disconnected),
        ])

    @Test("a minute of teaching: display on, touches, 30 s of speech → active")
    func teaching() {
        var totals = SpeechActivityTotals()
        let speech = SpeechFrame(
            rmsDBFS: -20, peakDBFS: -3, meanSquare: 0.01, peakLinear: 0.7, clipped: false, isSpeech: true, decisionEnergyDBFS: -22
        )
        let quiet = SpeechFrame(
            rmsDBFS: -60, peakDBFS: -50, meanSquare: 1e-6, peakLinear: 0.003, clipped: false, isSpeech: false,
            decisionEnergyDBFS: -62)
        for index in 0..<3000 { totals.add(index % 2 == 0 ? speech : quiet) }
        let minute = UsageMinute(minuteStart: 1_764_000_000_000, inventory: Self.panel, touchEvents: 12, speech: totals)
        #expect(minute.displayOn)
        #expect(minute.touchEvents == 12)
        #expect(abs(minute.speechSeconds - 30) < 1e-9)
        #expect(minute.peakDBFS.map { abs($0 - -3.098) < 0.01 } == true)
        #expect(minute.devicesPresent == DevicesPresent(cameras: 1, microphones: 1, displays: 1))
        #expect(minute.isActive)
    }

    @Test("no microphone metered: no levels, zero speech; display off → not active")
    func idle() {
        var inventory = Self.panel
        inventory.displays[0].dpms = "Off"
        let minute = UsageMinute(minuteStart: 0, inventory: inventory, touchEvents: -3, speech: nil)
        #expect(!minute.displayOn)
        #expect(minute.touchEvents == 0)
        #expect(minute.meanDBFS == nil && minute.peakDBFS == nil)
        #expect(minute.speechSeconds == 0)
        #expect(!minute.isActive)
    }
}
