import ArgumentParser
import ClassroomCore
import FoundationEssentials
import LinuxHardware
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `classroomd monitor`: follow hotplug (udev netlink) and print debounced inventory changes.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Follow device hotplug and print each debounced change (add, remove, change, flap).",
        discussion: """
            A device unplugged and plugged back within the debounce window is one 'flap'. With --json, the \
            first line is {"inventory": …} and each later line {"change": {"action", "device_kind", \
            "device_id", "name", "transitions"}, "inventory": …}, one JSON object per line.
            """
    )

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "Stop after this many seconds (default: run until interrupted).")
    var seconds: Double?

    @Option(name: .customLong("debounce-ms"), help: "Quiet time before a device's changes settle, in milliseconds.")
    var debounceMilliseconds = 1000

    @Flag(help: "Log every raw udev event to standard error.")
    var verbose = false

    func validate() throws {
        guard debounceMilliseconds >= 0, debounceMilliseconds <= 60_000 else {
            throw ValidationError("--debounce-ms must be between 0 and 60000")
        }
        // Int64(seconds * 1000) traps on inf and on more than Int64 milliseconds: bound it (a year).
        if let seconds, !(seconds > 0 && seconds <= 31_536_000) {
            throw ValidationError("--seconds must be positive and at most 31536000 (a year)")
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        let deadline = seconds.map { clock.now + .milliseconds(Int64($0 * 1000)) }
        do {
            var logger = Logger(label: "classroomd.monitor")
            logger.logLevel = verbose ? .debug : .warning
            let watcher = try HardwareWatcher(window: .milliseconds(debounceMilliseconds), logger: logger)
            try emit(MonitorLine(change: nil, inventory: watcher.inventory))
            let stop = { deadline.map { clock.now >= $0 } ?? false }
            try watcher.run(
                clock: clock, shouldStop: stop,
                onChange: { change, inventory in
                    try? emit(MonitorLine(change: change, inventory: inventory))
                })
        } catch let error as HardwareError {
            throw ValidationFailure("cannot follow device hotplug: \(error)")
        }
    }

    private func emit(_ line: MonitorLine) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
        } else if let change = line.change {
            let extra = change.action == .flap ? " (\(change.transitions) transitions)" : ""
            print("\(change.action.rawValue) \(change.deviceKind) \(change.name ?? "") [\(change.deviceID)]\(extra)")
        } else {
            print(InventoryText.render(line.inventory), terminator: "")
        }
        fflush(nil)  // one line at a time, also into a pipe
    }
}

/// One line of `classroomd monitor --json`.
struct MonitorLine: Encodable {
    var change: HardwareChange?
    var inventory: HardwareInventory
}
