import ClassroomWire
import FoundationEssentials

extension SpotCheckService {
    /// The answer to a start for an order that is streaming or has run already; nil for a new order.
    func repeated(_ orderID: String, commandID: String) -> CommandResult? {
        shared.withLock { shared in
            if shared.current?.order.orderID == orderID {
                return CommandResult(commandID: commandID, status: "started", message: "already streaming this order")
            }
            if let done = shared.finished.last(where: { $0.orderID == orderID }) {
                return CommandResult(commandID: commandID, status: "done", message: "this order has run already: \(done.outcome)")
            }
            return nil
        }
    }

    /// Why `order` cannot be streamed as sent (a malformed ingest URL, another host than `ingest_host`,
    /// an insane or finished lesson window, a malformed order id), or nil. See ``SpotCheckOrderRules``.
    static func problem(with order: SpotCheckOrderPayload, now: Int64, ingestHost: String? = nil) -> String? {
        SpotCheckOrderRules.problem(with: order, now: now, ingestHost: ingestHost)
    }

    func failed(_ commandID: String, _ message: String) -> CommandResult {
        CommandResult(commandID: commandID, status: "failed", message: message)
    }

    func remember(_ orderID: String, outcome: String) {
        shared.withLock { shared in
            shared.finished.append((orderID, outcome))
            if shared.finished.count > Self.rememberedOrders { shared.finished.removeFirst() }
        }
    }

    /// Signs `payload` with the device key and appends it to the outbox (retried: evidence is never dropped).
    func appendEvidence(_ payload: SpotCheckEvidencePayload) async {
        let signed: SignedEvidence
        do {
            signed = try signer.sign(orderID: payload.orderID, payload: payload)
        } catch {
            logger.critical("cannot sign spot-check evidence", metadata: ["order": "\(payload.orderID)", "error": "\(error)"])
            return
        }
        for attempt in 1...5 {
            do {
                let seq = try await outbox.append(.evidence(signed))
                logger.info("spot-check evidence queued", metadata: ["order": "\(payload.orderID)", "seq": "\(seq)"])
                return
            } catch {
                logger.error(
                    "cannot queue spot-check evidence",
                    metadata: ["order": "\(payload.orderID)", "attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(attempt))
            }
        }
    }
}

/// Which camera and microphone a spot-check uses: the config's, or the inventory's first ones.
struct SpotCheckDevices: Sendable {
    enum Choice: Sendable, Hashable {
        /// ffmpeg's camera input arguments and the ALSA capture PCM.
        case ready(camera: [String], microphone: String)
        /// `no_camera` or `no_microphone`, with what was found.
        case missing(fault: String, camera: String?, microphone: String?)
    }

    let camera: String?
    let microphone: String?
    let inventory: (any InventorySource)?
    /// Whether the agent can capture a microphone for a stream at all (``AgentHardware/streamMicrophone``).
    let canCapture: Bool

    init(config: AgentConfig, hardware: AgentHardware) {
        camera = config.camera
        microphone = config.microphone
        inventory = hardware.inventory
        canCapture = hardware.streamMicrophone != nil
    }

    /// ffmpeg input arguments for `camera`: a device node is read with v4l2, anything else is taken as arguments.
    static func arguments(camera: String) -> [String] {
        camera.hasPrefix("/") ? ["-f", "v4l2", "-i", camera] : SpotCheckConfiguration.splitArguments(camera)
    }

    func resolve() async -> Choice {
        var found = camera
        var pcm = microphone
        if found == nil || pcm == nil, let inventory, let current = try? await inventory.snapshot() {
            found = found ?? current.cameras.first?.devnode
            pcm = pcm ?? current.microphones.first?.pcm
        }
        guard let found else { return .missing(fault: "no_camera", camera: nil, microphone: pcm) }
        guard let pcm, canCapture else { return .missing(fault: "no_microphone", camera: found, microphone: pcm) }
        return .ready(camera: Self.arguments(camera: found), microphone: pcm)
    }
}

extension SpotCheckService {
    /// Whether a new order may stream now (``admit(_:)``).
    enum Admission {
        case admitted
        /// This very order is streaming already (a resumed command).
        case already
        /// The spot-check takes the place of this patrol stream, which must be stopped.
        case preempting(Job)
        case refused(String)
    }

    /// Makes `job` the current stream unless something else streams: the spot-check wins over a
    /// patrol; anything else is refused as busy.
    func admit(_ job: Job) -> Admission {
        shared.withLock { shared in
            if shared.shuttingDown { return .refused("the agent is stopping") }
            guard let current = shared.current else {
                shared.current = job
                return .admitted
            }
            if current.order.orderID == job.order.orderID { return .already }
            if current.order.isPatrol && !job.order.isPatrol {
                shared.current = job
                return .preempting(current)
            }
            return .refused("busy: streaming order \(current.order.orderID)")
        }
    }
}
