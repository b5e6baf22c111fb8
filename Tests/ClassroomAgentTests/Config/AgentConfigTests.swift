import ClassroomAgent
import ClassroomCore
import Testing

/// The agent config: every key, defaults, and errors that name FILE:LINE: key.
@Suite struct AgentConfigTests {
    @Test func everyKeyIsRead() throws {
        let text = """
            # classroomd
            collector = "https://collector.example/"
            state_directory = "/var/lib/cf"
            microphone = "hw:1,0"
            camera = "/dev/video0"
            ca_bundle = "/etc/ssl/county.pem"
            outbox_max_bytes = 1_048_576
            heartbeat_seconds = 30
            poll_wait_seconds = 20
            first_connect_jitter_seconds = 12.5
            backoff_max_seconds = 120
            request_timeout_seconds = 15
            log_level = "debug"
            """
        let c = try AgentConfig.parse(text, file: "c.toml")
        #expect(c.collector == "https://collector.example")
        #expect(c.stateDirectory == "/var/lib/cf")
        #expect(c.microphone == "hw:1,0")
        #expect(c.camera == "/dev/video0")
        #expect(c.caBundle == "/etc/ssl/county.pem")
        #expect(c.outboxMaxBytes == 1_048_576)
        #expect(c.heartbeatSeconds == 30)
        #expect(c.pollWaitSeconds == 20)
        #expect(c.firstConnectJitterSeconds == 12.5)
        #expect(c.backoffMaxSeconds == 120)
        #expect(c.requestTimeoutSeconds == 15)
        #expect(c.logLevel == .debug)
        #expect(c.outboxPath == "/var/lib/cf/outbox.db")
    }

    @Test func spotCheckKeysAreRead() throws {
        let text = """
            camera = "-re -f lavfi -i testsrc2=size=640x360:rate=25"
            chime_device = "none"
            notify_command = "/usr/bin/notify-send"
            ffmpeg = "/opt/ffmpeg/bin/ffmpeg"
            status_port = 0
            """
        let c = try AgentConfig.parse(text, file: "c.toml")
        #expect(c.camera == "-re -f lavfi -i testsrc2=size=640x360:rate=25")
        #expect(c.chimeDevice == nil)
        #expect(c.notifyCommand == "/usr/bin/notify-send")
        #expect(c.ffmpeg == "/opt/ffmpeg/bin/ffmpeg")
        #expect(c.statusPort == 0)
        let defaults = try AgentConfig.parse("", file: "c.toml")
        #expect(defaults.chimeDevice == "default" && defaults.ffmpeg == "ffmpeg" && defaults.statusPort == 8471)
        #expect(defaults.camera == nil && defaults.notifyCommand == nil)
    }

    @Test func defaultsComeFromSystemdsStateDirectory() throws {
        let c = try AgentConfig.parse("", file: "c.toml", environment: ["STATE_DIRECTORY": "/var/lib/classroomd:/other"])
        #expect(c.stateDirectory == "/var/lib/classroomd")
        #expect(c.collector == nil)
        #expect(c.outboxMaxBytes == 64 << 20)
        #expect(try AgentConfig.parse("", file: "c.toml").stateDirectory == "/var/lib/classroomd")
    }

    @Test(arguments: [
        ("collector = \"https://c\"\nheartbeat_secnds = 5", "c.toml:2: heartbeat_secnds: unknown key"),
        ("\n\nheartbeat_seconds = \"fast\"", "c.toml:3: heartbeat_seconds: expected a number, found string"),
        ("collector = \"ftp://x.example\"", "c.toml:1: collector: expected an http:// or https:// URL"),
        ("state_directory = \"relative/dir\"", "c.toml:1: state_directory: expected an absolute path"),
        ("outbox_max_bytes = 10", "c.toml:1: outbox_max_bytes: must be at least 65536"),
        ("poll_wait_seconds = 301", "c.toml:1: poll_wait_seconds: must be in 0…300"),
        ("log_level = \"loud\"", "c.toml:1: log_level: expected one of trace"),
        ("x = 1\n[agent]\ncollector = \"https://c\"", "c.toml:2: agent: unknown table"),
        ("[agent]\ncollector = \"https://c\"", "c.toml:1: agent: unknown table"),
        ("collector = https://c", "c.toml:1: collector: unknown value"),
        ("status_port = 70000", "c.toml:1: status_port: must be in 0…65535"),
        ("\nstatus_port = \"8471\"", "c.toml:2: status_port: expected an integer"),
        ("camera = \"  \"", "c.toml:1: camera: expected a device path"),
        ("camera = \"/dev/video0 -f v4l2\"", "c.toml:1: camera: a device path has no spaces"),
        ("notify_command = \"notify-send -u critical\"", "c.toml:1: notify_command: expected one executable"),
        ("ffmpeg = \"\"", "c.toml:1: ffmpeg: expected an executable name or path"),
        ("chime_device = \"\"", "c.toml:1: chime_device: expected an ALSA PCM name"),
    ])
    func errorsNameFileLineAndKey(text: String, expected: String) {
        do {
            _ = try AgentConfig.parse(text, file: "c.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func missingFileIsNamed() {
        #expect(throws: TOMLError.self) { try AgentConfig.load(path: "/nonexistent/classroomd.toml", environment: [:]) }
        do {
            _ = try AgentConfig.load(path: "/nonexistent/classroomd.toml", environment: [:])
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/classroomd.toml:0: cannot read the config file"))
        }
    }
}
