import ArgumentParser
import ClassroomAgent
import FoundationEssentials

/// `classroomd run`: the daemon (systemd `Type=notify`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent: queue usage, inventory and heartbeats durably and deliver them to the collector.",
        discussion: """
            Started by systemd (classroomd.service, Type=notify). Events are written to the outbox in the state \
            directory before anything else and sent until the collector acknowledges them. SIGHUP reloads the \
            config; SIGTERM stops within seconds. Usage minutes come from the display (DRM status, DPMS, \
            backlight), the touchscreens (evdev) and the `microphone` (ALSA; default: the first capture PCM); \
            the inventory is sent at start and on every hotplug change. A spot-check order from the collector \
            chimes (`chime_device`), runs `notify_command`, and streams the `camera` (a /dev/video node or ffmpeg \
            input arguments) and the microphone through `ffmpeg` until the lesson ends, then queues signed \
            evidence; the local status page is http://127.0.0.1:`status_port`/ (default 8471, 0: off). Exit status 78: the config is wrong; \
            73: the state directory cannot be written.
            """)

    @Option(help: "The config file (strict TOML subset).")
    var config = AgentConfig.defaultPath

    func run() async throws {
        let status = await AgentDaemon.run(
            configPath: config, environment: ProcessInfo.processInfo.environment,
            hardware: { config, logger in AgentHardware.linux(config: config, logger: logger) })
        if status != 0 { throw ExitCode(status) }
    }
}
