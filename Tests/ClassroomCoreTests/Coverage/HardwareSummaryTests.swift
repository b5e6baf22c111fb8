import ClassroomCore
import Testing

@Suite struct HardwareSummaryTests {
    @Test("a summary holds what the inventory has; a disconnected display is no display")
    func fromInventory() {
        var inventory = HardwareInventory()
        #expect(HardwareSummary(inventory) == [])
        inventory.displays = [Display(connector: "HDMI-A-1", card: "card0", status: .disconnected, dpms: nil)]
        inventory.microphones = [
            AudioEndpoint(id: "usb-1", card: 1, device: 0, name: "USB Mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")
        ]
        #expect(HardwareSummary(inventory) == [.microphone])
        inventory.displays.append(Display(connector: "HDMI-A-2", card: "card0", status: .connected, dpms: "On"))
        inventory.touchscreens = [Touchscreen(id: "t", name: "Touch", devnode: "/dev/input/event4")]
        #expect(HardwareSummary(inventory) == [.display, .touchscreen, .microphone])
    }

    @Test("the evidence of an inventory carries its summary, and the capabilities read it")
    func evidence() {
        var inventory = HardwareInventory()
        inventory.displays = [Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On")]
        inventory.touchscreens = [Touchscreen(id: "t", name: "Touch", devnode: "/dev/input/event4")]
        #expect(RoomEvidence(inventory: inventory).hardware == [.display, .touchscreen])
        #expect(RoomEvidence(inventory: nil).hardware == nil)
    }
}
