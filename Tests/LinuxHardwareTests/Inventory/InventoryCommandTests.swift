import ClassroomCore
import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd inventory --json` under `umockdev-run`: libudev reads simulated sysfs trees.
@Suite("classroomd inventory on simulated machines")
struct InventoryCommandTests {
    @Test("smart-blackboard panel: camera without its metadata node, touch frame only, HDMI status")
    func blackboardPanel() throws {
        let inventory = try HardwareFixtures.inventory("blackboard-panel")

        #expect(inventory.cameras.count == 1)
        let camera = try #require(inventory.cameras.first)
        #expect(camera.name == "HD Pro Webcam C920")
        #expect(camera.devnode == "/dev/video0")
        #expect(camera.vendorID == "046d")
        #expect(camera.modelID == "082d")
        #expect(camera.bus == "usb")
        #expect(camera.serial == "8F3D2A1F")
        #expect(camera.id == "pci-0000:00:14.0-usb-0:2:1.0-video-index0")

        #expect(inventory.microphones.map(\.pcm) == ["hw:1,0"])
        #expect(inventory.microphones.first?.devnode == "/dev/snd/pcmC1D0c")
        #expect(inventory.microphones.first?.name == "HD_Pro_Webcam_C920")
        #expect(inventory.speakers.map(\.pcm) == ["hw:0,0", "hw:0,3"])
        #expect(inventory.speakers.allSatisfy { $0.name == "Cannon Lake PCH cAVS" })

        // The camera's snapshot button and the headphone jack input are not touchscreens.
        #expect(inventory.touchscreens.map(\.name) == ["Weida Hi-Tech CoolTouch System"])
        #expect(inventory.touchscreens.first?.devnode == "/dev/input/event9")

        let displays = Dictionary(uniqueKeysWithValues: inventory.displays.map { ($0.connector, $0) })
        #expect(displays.keys.sorted() == ["DP-1", "HDMI-A-1", "eDP-1"])
        #expect(displays["HDMI-A-1"]?.status == .connected)
        #expect(displays["HDMI-A-1"]?.dpms == "On")
        #expect(displays["HDMI-A-1"]?.enabled == true)
        #expect(displays["DP-1"]?.status == .disconnected)
        #expect(displays["eDP-1"]?.status == .unknown)  // no status attribute in sysfs
        #expect(inventory.backlights == [Backlight(name: "intel_backlight", power: 0, brightness: 19200, maxBrightness: 24000)])

        #expect(inventory.network.map(\.interface) == ["enp0s31f6", "wlp0s20f3"])
        #expect(inventory.network.map(\.kind) == [.ethernet, .wifi])
    }

    @Test("classroom PC without camera: audio both ways, a mouse is not a touchscreen")
    func classroomPC() throws {
        let inventory = try HardwareFixtures.inventory("classroom-pc")
        #expect(inventory.cameras.isEmpty)
        #expect(inventory.touchscreens.isEmpty)
        #expect(inventory.microphones.map(\.pcm) == ["hw:0,0"])
        #expect(inventory.speakers.map(\.pcm) == ["hw:0,0"])
        #expect(inventory.displays.map(\.connector) == ["HDMI-A-1", "VGA-1"])
        #expect(inventory.displays.map(\.status) == [.connected, .disconnected])
        #expect(inventory.network.map(\.kind) == [.ethernet])
    }

    @Test("recording classroom: two cameras with distinct stable ids, an array microphone")
    func recordingClassroom() throws {
        let inventory = try HardwareFixtures.inventory("recording-classroom")
        #expect(inventory.cameras.map(\.devnode) == ["/dev/video0", "/dev/video2"])
        #expect(inventory.cameras.map(\.serial) == ["TEACHER01", "STUDENT02"])
        #expect(Set(inventory.cameras.map(\.id)).count == 2)
        #expect(inventory.microphones.map(\.pcm) == ["hw:2,0"])
        #expect(inventory.microphones.first?.name == "ReSpeaker_4_Mic_Array")
        #expect(inventory.speakers.map(\.pcm) == ["hw:0,0"])
        #expect(inventory.displays.map(\.dpms) == ["On", "Standby"])
    }

    @Test("a machine with only a network card: loopback left out, a bridge is other")
    func networkOnly() throws {
        let inventory = try HardwareFixtures.inventory("network-only")
        #expect(inventory.cameras.isEmpty && inventory.microphones.isEmpty && inventory.speakers.isEmpty)
        #expect(inventory.touchscreens.isEmpty && inventory.displays.isEmpty)
        #expect(inventory.network.map(\.interface) == ["docker0", "enp1s0"])
        #expect(inventory.network.map(\.kind) == [.other, .ethernet])
    }

    @Test("no hardware at all prints empty lists with every documented key, exit 0")
    func emptyMachine() throws {
        let output = try HardwareFixtures.classroomdUnderUmockdev(nil, ["inventory", "--json"])
        #expect(output.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        for key in ["cameras", "microphones", "speakers", "touchscreens", "displays", "network"] {
            #expect((object[key] as? [Any])?.isEmpty == true, "key \(key)")
        }
    }

    @Test("unreadable or garbled sysfs attributes: unknown / absent values, exit 0, no crash")
    func unreadableSysfs() throws {
        let inventory = try HardwareFixtures.inventory("unreadable-sysfs")
        let displays = Dictionary(uniqueKeysWithValues: inventory.displays.map { ($0.connector, $0) })
        #expect(displays["HDMI-A-2"]?.status == .unknown)
        #expect(displays["HDMI-A-2"]?.dpms == "On")
        #expect(displays["eDP-1"]?.status == .connected)
        #expect(inventory.backlights == [Backlight(name: "acpi_video0", power: nil, brightness: nil, maxBrightness: 100)])
        // The camera is still found; its name falls back to the node name.
        #expect(inventory.cameras.map(\.name) == ["video0"])
        #expect(inventory.cameras.first?.vendorID == "")
    }

    @Test("JSON keys of each entry are the documented snake_case names")
    func jsonShape() throws {
        let output = try HardwareFixtures.classroomdUnderUmockdev("blackboard-panel", ["inventory", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let camera = try #require((object["cameras"] as? [[String: Any]])?.first)
        for key in ["name", "devnode", "vendor_id", "model_id", "bus"] { #expect(camera[key] is String, "camera.\(key)") }
        let microphone = try #require((object["microphones"] as? [[String: Any]])?.first)
        #expect(microphone["card"] is Int && microphone["device"] is Int)
        for key in ["name", "pcm", "devnode"] { #expect(microphone[key] is String, "microphone.\(key)") }
        let display = try #require((object["displays"] as? [[String: Any]])?.first)
        #expect(display["connector"] is String && display["status"] is String)
        let network = try #require((object["network"] as? [[String: Any]])?.first)
        #expect(network["interface"] is String && network["kind"] is String)
    }

    @Test("text output lists each kind with a count")
    func textOutput() throws {
        let output = try HardwareFixtures.classroomdUnderUmockdev("classroom-pc", ["inventory"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("Cameras (0)"))
        #expect(output.stdout.contains("Displays (2)"))
        #expect(output.stdout.contains("card0-HDMI-A-1  connected"))
        #expect(output.stdout.contains("Display on: yes"))
    }
}
