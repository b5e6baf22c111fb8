import ArgumentParser
import ClassroomCollector

/// `serve` options for what one device credential may take (``ClassroomCollector/AgentLimits``).
struct AgentLimitOptions: ParsableArguments {
    @Option(help: "Sustained requests per second one device may make on the agent routes.")
    var agentRequestsPerSecond = AgentLimits().requestsPerSecond

    @Option(help: "Requests one device may make at once above that rate.")
    var agentRequestBurst = AgentLimits().requestBurst

    @Option(help: "Bytes of event uploads one device may send per UTC day (counted per collector process).")
    var agentUploadBytesPerDay = AgentLimits().uploadBytesPerDay

    func validate() throws {
        guard agentRequestsPerSecond.isFinite, (0.01...10_000).contains(agentRequestsPerSecond) else {
            throw ValidationError("--agent-requests-per-second must be 0.01…10000")
        }
        guard agentRequestBurst.isFinite, (1...1_000_000).contains(agentRequestBurst) else {
            throw ValidationError("--agent-request-burst must be 1…1000000")
        }
        guard agentUploadBytesPerDay >= 1024 * 1024 else {
            throw ValidationError("--agent-upload-bytes-per-day must be at least 1048576 (1 MiB)")
        }
    }

    var limits: AgentLimits {
        AgentLimits(
            requestsPerSecond: agentRequestsPerSecond, requestBurst: agentRequestBurst,
            uploadBytesPerDay: agentUploadBytesPerDay)
    }
}
