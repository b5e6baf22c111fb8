import ArgumentParser
import ClassroomAgent
import FoundationEssentials

/// `classroomd status`: what the agent on this machine is doing, read from its state directory.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show enrollment, queue depth, oldest unsent event, last upload, last error, current command and spot-check.")

    @Option(help: "The config file (for state_directory); default /etc/classroomd/classroomd.toml when present.")
    var config: String?

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var settings = AgentConfig(environment: environment)
        // The default config may be absent (defaults apply); a config named with --config must exist.
        if let path = config ?? (FileManager.default.fileExists(atPath: AgentConfig.defaultPath) ? AgentConfig.defaultPath : nil)
        {
            do {
                settings = try AgentConfig.load(path: path, environment: environment)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let status: AgentStatus
        do {
            status = try AgentStatus.read(config: settings)
        } catch {
            printError("classroomd status: \(error)")
            throw ExitCode.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        func time(_ ms: Int64?) -> String {
            guard let ms else { return "never" }
            return Date(timeIntervalSince1970: Double(ms) / 1000).formatted(.iso8601)
        }
        print(
            "enrolled:          \(status.enrolled ? "yes, device \(status.deviceID ?? "?") in room \(status.roomID ?? "?")" : "no")"
        )
        print("collector:         \(status.collector ?? "not configured")")
        print("queued events:     \(status.queueDepth)")
        print("oldest unsent:     \(status.oldestUnsentAt == nil ? "none" : time(status.oldestUnsentAt))")
        print("last upload:       \(time(status.lastUploadAt))")
        print("last error:        \(status.lastError ?? "none")")
        print("current command:   \(status.currentCommand ?? "none")")
        print("usage dropped:     \(status.droppedUsageTotal)")
        print("clock skew:        \(status.clockSkewMillis.map { "\($0) ms (collector minus this machine)" } ?? "unknown")")
        if let s = status.spotcheck {
            let figures = "\(s.frames) frames, \(s.bytes) bytes, speech \(Int((s.speechRatio * 100).rounded()))%"
            print("spot-check:        \(s.state) order \(s.orderID) (\(s.teacherName), \(s.subject)); \(figures)")
        } else {
            print("spot-check:        none")
        }
        if let aside = status.outboxMovedAside { print("corrupt outbox moved aside to \(aside)") }
    }
}
