import ClassroomCore
import LinuxHardware
import Logging
import Synchronization

/// Meters speech on the configured `microphone` PCM, or the inventory's first capture PCM, with
/// ``SpeechMeter`` on a dedicated thread; ``takeSpeechSummary()`` hands over the totals and resets them.
///
/// A microphone that is missing, busy or unplugged is logged once and retried when the inventory
/// changes (hotplug) or every 30 s; meanwhile the summary is nil. A PCM that delivers faster than real
/// time (an ALSA `file` PCM) is paced to the wall clock, so a minute never holds more than a minute.
///
/// While a spot-check streams, the microphone is lent to it (``MicrophoneSharing``): the PCM is closed,
/// since a `hw:` capture device opens only once, and no speech is metered for usage meanwhile.
public final class LinuxSpeechSignal: SpeechSignal, MicrophoneSharing, Sendable {
    private struct Shared {
        var totals = SpeechActivityTotals()
        var metering = false
        var lent = false
        var open = false
    }

    private let shared = Mutex(Shared())
    private let configured: String?
    private let inventory: LinuxInventorySource
    private let configuration: SpeechActivityConfiguration
    private let logger: Logger
    private let thread = Mutex<DedicatedThread?>(nil)
    private let started = Atomic<Bool>(false)

    /// - Parameter microphone: an ALSA PCM name (config `microphone`); nil: the first capture PCM found.
    public init(
        microphone: String?, inventory: LinuxInventorySource, configuration: SpeechActivityConfiguration = .init(),
        logger: Logger
    ) {
        self.configured = microphone
        self.inventory = inventory
        self.configuration = configuration
        self.logger = logger
    }

    deinit { thread.withLock { $0?.stop.set() } }

    public func takeSpeechSummary() async -> SpeechSummary? {
        startOnce()
        let (totals, metering) = shared.withLock { shared in
            defer { shared.totals = SpeechActivityTotals() }
            return (shared.totals, shared.metering)
        }
        guard metering || totals.frames > 0 else { return nil }
        return SpeechSummary(
            speechSeconds: totals.speechSeconds(frameSeconds: configuration.frameSeconds), meanDBFS: totals.meanDBFS,
            peakDBFS: totals.peakDBFS, clippingRatio: totals.clippingRatio)
    }

    public func lend() async {
        shared.withLock { $0.lent = true }
        // The meter sees it within a ¼ s period; wait (bounded) until the PCM is closed.
        for _ in 0..<40 where shared.withLock({ $0.open }) {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    public func takeBack() { shared.withLock { $0.lent = false } }

    private func startOnce() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let meter = Metering(
            configured: configured, inventory: inventory, configuration: configuration, logger: logger,
            report: { [weak self] totals, metering in
                self?.shared.withLock { shared in
                    if let totals { shared.totals.add(totals) }
                    shared.metering = metering
                }
            },
            isLent: { [weak self] in self?.shared.withLock { $0.lent } ?? false },
            opened: { [weak self] open in self?.shared.withLock { $0.open = open } })
        let started = DedicatedThread.start(name: "cf-speech") { stop in meter.run(stop: stop) }
        if started == nil { logger.error("cannot start the speech thread: speech is not metered") }
        thread.withLock { $0 = started }
    }

    /// The thread's side: owns the ALSA handle (not Sendable) and hands totals over every ¼ s.
    private struct Metering: Sendable {
        let configured: String?
        let inventory: LinuxInventorySource
        let configuration: SpeechActivityConfiguration
        let logger: Logger
        let report: @Sendable (SpeechActivityTotals?, Bool) -> Void
        let isLent: @Sendable () -> Bool
        let opened: @Sendable (Bool) -> Void

        /// The PCM to meter now: the configured one, or the first capture PCM of the inventory.
        func device() throws -> String? {
            if let configured { return configured }
            return try inventory.current().microphones.first?.pcm
        }

        func run(stop: DedicatedThread.StopFlag) {
            var failedOn: String?? = nil  // the device whose failure was logged (.some(nil): no microphone)
            while !stop.isSet {
                if isLent() {
                    report(nil, false)
                    _ = DedicatedThread.sleep(seconds: 0.2, unless: stop)
                    continue
                }
                let generation = inventory.generation
                var device: String?
                do {
                    device = try self.device()
                } catch {
                    logger.error("cannot list microphones", metadata: ["error": "\(error)"])
                }
                if let device {
                    let metered = meter(device, stop: stop, generation: generation, failedOn: &failedOn)
                    opened(false)  // the PCM is closed: `meter` released it on return
                    if metered { continue }
                } else if failedOn != .some(nil) {
                    logger.warning("no capture PCM (microphone) found: speech is not metered until one is plugged in")
                    failedOn = .some(nil)
                }
                report(nil, false)
                // Retry when the inventory changes (hotplug), or after 30 s for a configured PCM name.
                var waited = 0.0
                while !stop.isSet, inventory.generation == generation, waited < 30 {
                    _ = DedicatedThread.sleep(seconds: 1, unless: stop)
                    waited += 1
                }
            }
        }

        /// Meters `device` until stopped (true), or until it fails (false, logged once per device).
        private func meter(_ device: String, stop: DedicatedThread.StopFlag, generation: Int, failedOn: inout String??) -> Bool {
            let automatic = configured == nil
            do {
                let meter = try SpeechMeter(device: device, configuration: configuration)
                opened(true)
                logger.info("metering speech", metadata: ["microphone": "\(device)"])
                failedOn = nil
                report(nil, true)
                let clock = ContinuousClock()
                let start = clock.now
                var audioSeconds = 0.0
                // Short periods (¼ s) so a minute's boundary moves at most that much audio into the next one.
                let periodFrames = max(1, Int((meter.framesPerSecond / 4).rounded()))
                try meter.run(
                    periodFrames: periodFrames,
                    shouldStop: {
                        // An automatically chosen microphone is re-chosen after hotplug.
                        stop.isSet || isLent()
                            || (automatic && inventory.generation != generation && (try? self.device()) != device)
                    },
                    onPeriod: { totals in
                        report(totals, true)
                        audioSeconds += Double(totals.frames) * configuration.frameSeconds
                        let ahead = audioSeconds - (clock.now - start) / .seconds(1)
                        if ahead > 0 { _ = DedicatedThread.sleep(seconds: ahead, unless: stop) }
                    })
                return true
            } catch {
                if failedOn != .some(device) {
                    logger.error(
                        "cannot meter speech; retrying on hotplug", metadata: ["microphone": "\(device)", "error": "\(error)"])
                }
                failedOn = .some(device)
                return false
            }
        }
    }
}
