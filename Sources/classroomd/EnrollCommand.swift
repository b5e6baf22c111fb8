import ArgumentParser
import ClassroomAgent
import ClassroomWire
import FoundationEssentials
import Glibc

/// `classroomd enroll`: exchange a school's enrollment token for this device's credential.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Register this machine with the collector for one room.",
        discussion: """
            Generates the device's Ed25519 key (device.key, mode 0600) unless it exists, sends its public half \
            with the school's enrollment token (cfe_…), and stores the device credential (enrollment.json, \
            mode 0600) in the state directory. Restart classroomd afterwards.
            """)

    @Option(help: "Base URL of the collector, such as https://collector.example.")
    var collector: String

    @Option(help: "The school's enrollment token (cfe_…).")
    var token: String

    @Option(help: "The room this machine serves (room_id of rooms.csv).")
    var room: String

    @Option(help: "The config file (for state_directory and ca_bundle); default /etc/classroomd/classroomd.toml when present.")
    var config: String?

    @Flag(help: "Print the enrollment as JSON.")
    var json = false

    func run() async throws {
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
        let base = String(collector.reversed().drop { $0 == "/" }.reversed())
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw ValidationError("--collector must be an http:// or https:// URL, not '\(collector)'")
        }
        let identity = DeviceIdentity(stateDirectory: settings.stateDirectory)
        let enrollment: Enrollment
        do {
            try identity.prepareDirectory()
            let key = try identity.loadOrCreateKey()
            let client = try HTTPClient(caBundle: settings.caBundle, userAgent: AgentVersion.userAgent)
            let api = CollectorAPI(baseURL: base, credential: nil, client: client, timeoutSeconds: settings.requestTimeoutSeconds)
            let request = EnrollRequest(
                token: token, roomID: room, publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                hostname: Self.hostname(), agentVersion: AgentVersion.current)
            switch try await api.enroll(request) {
            case .ok(let answer):
                enrollment = Enrollment(
                    deviceID: answer.deviceID, credential: answer.credential, schoolID: answer.schoolID, roomID: answer.roomID,
                    collector: base, enrolledAt: answer.serverTime)
            case .busy(let retryAfter):
                throw EnrollFailure("the collector is busy; try again" + (retryAfter.map { " in \(Int($0)) s" } ?? ""))
            case .failed(_, let message):
                throw EnrollFailure("enrollment refused: \(message)")
            }
            try identity.save(enrollment)
        } catch let error as EnrollFailure {
            printError("classroomd enroll: \(error.message)")
            throw ExitCode.failure
        } catch {
            printError("classroomd enroll: \(error)")
            throw ExitCode.failure
        }
        if json {
            var shown = enrollment
            shown.credential = String(shown.credential.prefix(8)) + "…"
            print(String(decoding: try JSONEncoder().encode(shown), as: UTF8.self))
        } else {
            print(
                "Enrolled as \(enrollment.deviceID) (school \(enrollment.schoolID), room \(enrollment.roomID)); state in \(settings.stateDirectory)"
            )
        }
    }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(cString: buffer)
    }
}

private struct EnrollFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
