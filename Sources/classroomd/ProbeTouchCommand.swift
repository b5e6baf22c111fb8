import ArgumentParser
import ClassroomCore
import LinuxHardware

/// `classroomd probe-touch`: count touches on the touchscreens for a few seconds.
struct ProbeTouchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-touch",
        abstract: "Count touches (finger or pen down) on the touchscreens from evdev; coordinates are never read out.",
        discussion: "Without --device, every input udev marks ID_INPUT_TOUCHSCREEN=1 is read."
    )

    @Option(help: "An evdev node such as /dev/input/event9 (repeatable; default: every touchscreen).")
    var device: [String] = []

    @Option(help: "Seconds to count (0.1–3600).")
    var seconds: Double = 5

    @Flag(help: "Print JSON with the keys touch_events, seconds, devices (per-node counts), removed.")
    var json = false

    func validate() throws {
        guard seconds >= 0.1, seconds <= 3600 else { throw ValidationError("--seconds must be between 0.1 and 3600") }
    }

    func run() throws {
        let report: ProbeTouchReport
        do {
            let nodes = device.isEmpty ? try InventoryScanner(udev: Udev()).scan().touchscreens.map(\.devnode) : device
            let reader = try EvdevTouchReader(devnodes: nodes)
            let clock = ContinuousClock()
            let counts = try reader.count(until: clock.now + .milliseconds(Int64(seconds * 1000)), clock: clock)
            report = ProbeTouchReport(
                touchEvents: counts.values.reduce(0, +), seconds: seconds, devices: counts, removed: reader.removed)
        } catch {
            throw ValidationFailure("cannot count touches: \(error)")
        }
        if json {
            print(try JSONOutput.string(report))
        } else {
            print("\(report.touchEvents) touches in \(seconds) s on \(report.devices.count) touchscreen(s)")
            for (node, count) in report.devices.sorted(by: { $0.key < $1.key }) { print("  \(node)  \(count)") }
            for node in report.removed { print("  \(node) was removed while counting") }
        }
    }
}

/// The JSON of `probe-touch --json`.
struct ProbeTouchReport: Codable {
    var touchEvents: Int
    var seconds: Double
    var devices: [String: Int]
    var removed: [String]

    enum CodingKeys: String, CodingKey {
        case seconds, devices, removed
        case touchEvents = "touch_events"
    }
}
