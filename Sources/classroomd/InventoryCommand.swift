import ArgumentParser
import ClassroomCore
import FoundationEssentials
import LinuxHardware

/// `classroomd inventory`: what libudev sees on this machine.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "List the cameras, microphones, speakers, touchscreens, displays and network interfaces (libudev).",
        discussion: """
            Cameras are video4linux capture nodes (a camera's metadata node is not counted); touchscreens are \
            inputs udev marks ID_INPUT_TOUCHSCREEN=1. A machine with none of these prints empty lists.
            """
    )

    @Flag(help: "Print JSON with the keys cameras, microphones, speakers, touchscreens, displays, backlights, network.")
    var json = false

    func run() throws {
        let inventory: HardwareInventory
        do {
            inventory = try InventoryScanner(udev: Udev()).scan()
        } catch {
            throw ValidationFailure("cannot read the device inventory: \(error)")
        }
        if json {
            print(try JSONOutput.string(inventory))
        } else {
            print(InventoryText.render(inventory), terminator: "")
        }
    }
}

/// Human-readable inventory, one device per line under a heading per kind.
enum InventoryText {
    static func render(_ inventory: HardwareInventory) -> String {
        var out = ""
        func section(_ title: String, _ lines: [String]) {
            out += "\(title) (\(lines.count))\n"
            for line in lines { out += "  \(line)\n" }
        }
        section("Cameras", inventory.cameras.map { "\($0.name)  \($0.devnode)  \($0.bus) \($0.vendorID):\($0.modelID)" })
        section("Microphones", inventory.microphones.map { "\($0.name)  \($0.pcm)  \($0.devnode)" })
        section("Speakers", inventory.speakers.map { "\($0.name)  \($0.pcm)  \($0.devnode)" })
        section("Touchscreens", inventory.touchscreens.map { "\($0.name)  \($0.devnode)" })
        section(
            "Displays",
            inventory.displays.map {
                "\($0.card)-\($0.connector)  \($0.status.rawValue)" + ($0.dpms.map { "  dpms \($0)" } ?? "")
            })
        section(
            "Backlights", inventory.backlights.map { "\($0.name)  bl_power \($0.power.map(String.init) ?? "unknown")" })
        section("Network", inventory.network.map { "\($0.interface)  \($0.kind.rawValue)" + ($0.mac.map { "  \($0)" } ?? "") })
        out += "Display on: \(inventory.displayOn ? "yes" : "no")\n"
        return out
    }
}

/// JSON for scripts: sorted keys, pretty-printed.
enum JSONOutput {
    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A failure reported as `classroomd: <message>` with exit status 1.
struct ValidationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
