import ClassroomCore
import Testing

@Suite("Display on/off from sysfs state")
struct DisplayStateTests {
    @Test("an HDMI panel connected with DPMS On is on; Standby, Off, disabled or disconnected are not")
    func external() {
        #expect(
            HardwareInventory(displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On")]).displayOn
        )
        #expect(HardwareInventory(displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected)]).displayOn)
        for dpms in ["Standby", "Suspend", "Off"] {
            #expect(
                !HardwareInventory(displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: dpms)])
                    .displayOn)
        }
        #expect(
            !HardwareInventory(displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected, enabled: false)])
                .displayOn)
        #expect(!HardwareInventory(displays: [Display(connector: "DP-1", card: "card0", status: .disconnected)]).displayOn)
        #expect(!HardwareInventory(displays: [Display(connector: "DP-1", card: "card0", status: .unknown)]).displayOn)
        #expect(!HardwareInventory.empty.displayOn)
    }

    @Test("a built-in panel needs its backlight powered (bl_power 0)")
    func builtIn() {
        let panel = Display(connector: "eDP-1", card: "card0", status: .unknown)
        #expect(HardwareInventory(displays: [panel], backlights: [Backlight(name: "intel_backlight", power: 0)]).displayOn)
        #expect(!HardwareInventory(displays: [panel], backlights: [Backlight(name: "intel_backlight", power: 4)]).displayOn)
        // An external monitor is on regardless of the laptop panel's backlight.
        let hdmi = Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On")
        #expect(HardwareInventory(displays: [panel, hdmi], backlights: [Backlight(name: "bl", power: 4)]).displayOn)
    }
}
