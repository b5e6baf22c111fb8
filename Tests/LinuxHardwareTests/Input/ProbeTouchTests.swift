import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd probe-touch` reading evdev events that umockdev replays from evemu files.
@Suite("classroomd probe-touch: evdev touch counts (evemu replay under umockdev)")
struct ProbeTouchTests {
    struct Report: Decodable {
        var touch_events: Int
        var devices: [String: Int]
        var removed: [String]
    }

    static func probe(_ tree: String, evemu: String?, extra: [String] = []) throws -> TestProcess.Output {
        let classroomd = try TestProcess.product("classroomd")
        var args = ["-d", HardwareFixtures.umockdevFile(tree).path]
        if let evemu {
            args += ["-e", "/dev/input/event9=\(HardwareFixtures.fixtures.appending(path: "evemu/\(evemu).events").path)"]
        }
        args += ["--", classroomd.path, "probe-touch", "--seconds", "1.5", "--json"] + extra
        return try TestProcess.run(try HardwareFixtures.tool("umockdev-run"), args)
    }

    @Test("multi-touch panel: three taps and a two-finger pinch are five touches")
    func multiTouch() throws {
        let output = try Self.probe("blackboard-panel", evemu: "three-taps-multitouch")
        #expect(output.status == 0, "\(output.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(output.stdout.utf8))
        #expect(report.touch_events == 5)
        #expect(report.devices == ["/dev/input/event9": 5])
        #expect(!output.stdout.contains("1200"))  // no coordinate ever printed
    }

    @Test("single-touch frame: four BTN_TOUCH presses are four touches")
    func singleTouch() throws {
        let output = try Self.probe("blackboard-panel", evemu: "single-touch-presses")
        let report = try JSONDecoder().decode(Report.self, from: Data(output.stdout.utf8))
        #expect(report.touch_events == 4)
    }

    @Test("only touchscreens are read: the camera button and headphone jack inputs are not")
    func onlyTouchscreens() throws {
        let output = try Self.probe("blackboard-panel", evemu: nil)
        let report = try JSONDecoder().decode(Report.self, from: Data(output.stdout.utf8))
        #expect(Array(report.devices.keys) == ["/dev/input/event9"])
        #expect(report.touch_events == 0)
    }

    @Test("a machine without a touchscreen counts zero, not an error")
    func noTouchscreen() throws {
        let output = try Self.probe("classroom-pc", evemu: nil)
        #expect(output.status == 0)
        let report = try JSONDecoder().decode(Report.self, from: Data(output.stdout.utf8))
        #expect(report.touch_events == 0 && report.devices.isEmpty)
    }

    @Test("a touch device that does not exist: exit 1 naming the node")
    func missingDevice() throws {
        let output = try Self.probe("classroom-pc", evemu: nil, extra: ["--device", "/dev/input/event42"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("/dev/input/event42"))
    }
}
