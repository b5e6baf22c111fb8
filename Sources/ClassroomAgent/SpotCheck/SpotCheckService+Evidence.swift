import ClassroomWire
import FoundationEssentials
import LinuxHardware

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

    /// Why `order` cannot be streamed as sent (a malformed ingest URL, a lesson already over), or nil.
    static func problem(with order: SpotCheckOrderPayload, now: Int64) -> String? {
        let url = order.ingestURL
        guard url.hasPrefix("rtmp://") || url.hasPrefix("rtmps://"),
            url.split(separator: "/", omittingEmptySubsequences: true).count >= 3,
            !url.contains(where: { $0 == " " || $0 == "\n" || $0 == "\t" })
        else { return "ingest_url '\(url)' is not an rtmp:// URL with an application and a stream key" }
        guard order.lessonEnd > order.lessonStart else {
            return "the lesson window is empty (lesson_end \(order.lessonEnd) ≤ lesson_start \(order.lessonStart))"
        }
        guard now < order.lessonEnd else {
            return "the lesson ended \((now - order.lessonEnd) / 1000) s ago (lesson_end \(order.lessonEnd))"
        }
        return nil
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

    /// Plays the chime on its own thread (ALSA playback blocks); returns the error in plain words.
    static func playChime(_ device: String) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            startThread {
                do throws(HardwareError) {
                    try Chime.play(device: device)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error.pcmMessage(device))
                }
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

    init(config: AgentConfig, inventory: (any InventorySource)?) {
        camera = config.camera
        microphone = config.microphone
        self.inventory = inventory
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
        guard let pcm else { return .missing(fault: "no_microphone", camera: found, microphone: nil) }
        return .ready(camera: Self.arguments(camera: found), microphone: pcm)
    }
}
