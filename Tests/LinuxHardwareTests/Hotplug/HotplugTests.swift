import ClassroomCore
import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd monitor --json` receiving uevents that libumockdev's testbed injects
/// (Tests/Fixtures/umockdev/hotplug-driver.c), with a 500 ms debounce window.
@Suite("classroomd monitor: hotplug through udev netlink (umockdev uevents)", .serialized)
struct HotplugTests {
    static let panelCamera = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/video4linux/video0"
    static let panelCameraMeta = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/video4linux/video1"
    static let hdmi = "/sys/devices/pci0000:00/0000:00:02.0/drm/card0/card0-HDMI-A-1"
    static let drmCard = "/sys/devices/pci0000:00/0000:00:02.0/drm/card0"

    struct Line: Decodable {
        var change: HardwareChangeLine?
        var inventory: HardwareInventory
    }

    struct HardwareChangeLine: Decodable, Equatable {
        var action: String
        var device_kind: String
        var device_id: String
        var name: String?
        var transitions: Int
    }

    static func driver() throws -> URL { try builtDriver.get() }

    /// Built once per test run (tests in this suite share it).
    static let builtDriver: Result<URL, any Error> = Result {
        let env = ProcessInfo.processInfo.environment["CLASSROOMFLEET_HOTPLUG_DRIVER"] ?? ""
        let path = env.isEmpty ? "/tmp/classroomfleet-hotplug-driver" : env
        let build = HardwareFixtures.fixtures.appending(path: "umockdev/build-hotplug-driver.sh")
        let output = try TestProcess.run(try HardwareFixtures.tool("bash"), [build.path, path])
        guard output.status == 0 else { throw TestSupportError("building the hotplug driver failed: \(output.stderr)") }
        return URL(filePath: path)
    }

    /// Runs `classroomd monitor` on the panel tree while the driver plays `steps`; returns its JSON lines.
    static func monitor(_ steps: [String], seconds: Int, debounceMilliseconds: Int = 500) throws -> [Line] {
        let dir = try TestProcess.temporaryDirectory("hotplug")
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appending(path: "script.txt")
        try (["wait-line"] + steps).joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
        let output = try TestProcess.run(
            try HardwareFixtures.tool("umockdev-wrapper"),
            [
                try driver().path, HardwareFixtures.umockdevFile("blackboard-panel").path, script.path, "--",
                try TestProcess.product("classroomd").path, "monitor", "--json", "--seconds", "\(seconds)", "--debounce-ms",
                "500",
            ])
        guard output.status == 0 else { throw TestSupportError("monitor exited \(output.status): \(output.stderr)") }
        return try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    }

    @Test("a camera plugged in is one add; a camera unplugged is one remove (its metadata node is ignored)")
    func addAndRemove() throws {
        let lines = try Self.monitor(
            [
                "add \(HardwareFixtures.umockdevFile("hotplug-second-camera").path)", "sleep 3000",
                "remove \(Self.panelCamera)", "sleep 100", "remove \(Self.panelCameraMeta)", "sleep 3000",
            ], seconds: 7)
        #expect(lines.first?.change == nil)
        #expect(lines.first?.inventory.cameras.count == 1)
        let changes = lines.compactMap(\.change)
        #expect(changes.map(\.action) == ["add", "remove"])
        #expect(changes.first?.name == "USB 2.0 Camera")
        #expect(changes.last?.device_id == "pci-0000:00:14.0-usb-0:2:1.0-video-index0")
        #expect(changes.last?.name == "HD Pro Webcam C920")  // named from before it went away
        #expect(lines.last?.inventory.cameras.map(\.name) == ["USB 2.0 Camera"])
    }

    @Test("unplugged and replugged within the window is one flap, not remove + add")
    func flap() throws {
        let lines = try Self.monitor(
            [
                "remove \(Self.panelCamera)", "sleep 150",
                "add \(HardwareFixtures.umockdevFile("hotplug-panel-camera").path)", "sleep 3500",
            ], seconds: 4, debounceMilliseconds: 1500)
        let changes = lines.compactMap(\.change)
        #expect(changes.count == 1)
        #expect(changes.first?.action == "flap")
        #expect(changes.first?.transitions == 2)
        #expect(changes.first?.device_kind == "camera")
        #expect(lines.last?.inventory.cameras.count == 1)
    }

    @Test("HDMI unplugged: the card's change event re-reads the connector status")
    func displayChange() throws {
        let lines = try Self.monitor(
            [
                "attr \(Self.hdmi) status disconnected", "attr \(Self.hdmi) dpms Off", "uevent \(Self.drmCard) change",
                "sleep 1500",
            ],
            seconds: 3)
        let changes = lines.compactMap(\.change)
        #expect(changes.map(\.action).contains("change"))
        #expect(changes.contains { $0.device_id == "card0-HDMI-A-1" && $0.device_kind == "display" })
        let hdmi = lines.last?.inventory.displays.first { $0.connector == "HDMI-A-1" }
        #expect(hdmi?.status == .disconnected)
        #expect(hdmi?.dpms == "Off")
    }

    @Test("backlight switched off (bl_power 4): a change of the backlight, and the panel counts as off")
    func backlightChange() throws {
        let backlight = "/sys/devices/pci0000:00/0000:00:02.0/drm/card0/card0-eDP-1/intel_backlight"
        let lines = try Self.monitor(
            [
                "attr \(Self.hdmi) dpms Off", "attr \(backlight) bl_power 4", "uevent \(backlight) change",
                "uevent \(Self.drmCard) change", "sleep 1500",
            ], seconds: 3)
        #expect(lines.first?.inventory.displayOn == true)
        let changes = lines.compactMap(\.change)
        #expect(changes.contains { $0.device_kind == "backlight" && $0.device_id == "intel_backlight" && $0.action == "change" })
        #expect(lines.last?.inventory.backlights.first?.power == 4)
        #expect(lines.last?.inventory.displayOn == false)  // HDMI in DPMS Off, the panel's backlight off
    }

    @Test("no events: only the initial inventory line")
    func quiet() throws {
        let lines = try Self.monitor([], seconds: 1)
        #expect(lines.count == 1)
        #expect(lines.first?.inventory.touchscreens.count == 1)
    }

    @Test("a bad --debounce-ms is rejected")
    func badDebounce() throws {
        let output = try TestProcess.run(try TestProcess.product("classroomd"), ["monitor", "--debounce-ms", "-5"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--debounce-ms"))
    }
}
