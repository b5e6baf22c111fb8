import ClassroomCore

#if canImport(Glibc)
    import Glibc
#endif

/// The microphone for a spot-check stream: ``SpeechMeter``'s capture loop with a second consumer.
/// The samples (16 kHz mono S16) go to the stream, paced to real time; the meter's figures give the
/// stream's speech ratio.
///
/// - Important: the stream must never starve (ffmpeg would stall on its audio input), so a device that
///   cannot be opened, or fails mid-stream, is replaced by silence at the same pace and the error kept
///   in ``Report/error``. A file-backed test PCM returns samples at once; the pacing holds it to real time.
public struct MicrophoneTap {
    /// What the tap measured, handed over after every block of samples.
    public struct Report: Sendable, Hashable {
        public var totals = SpeechActivityTotals()
        /// The device's failure in plain words, if any (``HardwareError/pcmMessage(_:)``).
        public var error: String?
    }

    public let device: String
    public let configuration: SpeechActivityConfiguration
    /// Frames per block handed to the stream (5 × 20 ms).
    public let blockFrames = 5

    public init(device: String, configuration: SpeechActivityConfiguration = .init()) {
        self.device = device
        self.configuration = configuration
    }

    /// Captures until `shouldStop` returns true (checked every frame, or every block of silence): each
    /// block of samples goes to `samples`, and the report so far to `report`.
    public func run(
        shouldStop: () -> Bool, samples: (UnsafeRawBufferPointer) -> Void, report: (Report) -> Void
    ) {
        var current = Report()
        var block: [Int16] = []
        block.reserveCapacity(configuration.frameSamples * blockFrames)
        var pacer = Pacer(sampleRate: configuration.sampleRate)
        do {
            let meter = try SpeechMeter(device: device, configuration: configuration)
            try meter.run(
                periodFrames: blockFrames, shouldStop: shouldStop,
                onPeriod: { totals in
                    current.totals.add(totals)
                    block.withUnsafeBytes(samples)
                    pacer.sent(samples: block.count)
                    block.removeAll(keepingCapacity: true)
                    report(current)
                },
                onSamples: { frame in block.append(contentsOf: frame) })
            return
        } catch {
            current.error = error.pcmMessage(device)
            report(current)
        }
        // Silence at the microphone's pace for the rest of the stream.
        let silence = [Int16](repeating: 0, count: configuration.frameSamples * blockFrames)
        while !shouldStop() {
            silence.withUnsafeBytes(samples)
            pacer.sent(samples: silence.count)
        }
    }

    /// Holds the samples handed over to the monotonic clock: never more audio than time passed.
    struct Pacer {
        let sampleRate: Int
        let start = ContinuousClock.now
        var total: Int64 = 0

        init(sampleRate: Int) { self.sampleRate = sampleRate }

        mutating func sent(samples: Int) {
            total += Int64(samples)
            let due = Double(total) / Double(sampleRate)
            let ahead = due - (ContinuousClock.now - start) / .seconds(1)
            if ahead > 0 { usleep(useconds_t(min(ahead, 1) * 1_000_000)) }
        }
    }
}
