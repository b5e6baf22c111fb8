import ClassroomCore
import LinuxHardware
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Captures the microphone on its own thread, measures speech on the samples and writes them to the
/// current ffmpeg's stdin, paced to real time (file-backed test PCMs return samples instantly).
final class AudioFeeder: Sendable {
    struct Shared {
        var target: Int32 = -1
        var running = true
        var totals = SpeechActivityTotals()
        var error: String?
    }

    let shared = Mutex(Shared())

    /// Starts capturing from `device`; when it cannot be opened, silence is streamed and the error kept.
    func start(device: String, now: @escaping @Sendable () -> Int64) {
        startThread { [self] in
            let pcm: PCM?
            do {
                pcm = try PCM(name: ALSA.converting(device), direction: .capture)
            } catch {
                pcm = nil
                shared.withLock { $0.error = Self.message(error, device) }
            }
            var detector = SpeechActivityDetector()
            let frame = detector.configuration.frameSamples
            var buffer = [Int16](repeating: 0, count: frame * 5)
            let started = now()
            var sent: Int64 = 0
            while shared.withLock({ $0.running }) {
                if let pcm {
                    do { try pcm.read(into: &buffer) } catch {
                        shared.withLock { $0.error = Self.message(error, device) }
                        buffer = [Int16](repeating: 0, count: frame * 5)
                    }
                }
                var frames: [SpeechFrame] = []
                if pcm != nil {
                    for offset in stride(from: 0, to: buffer.count, by: frame) {
                        frames.append(detector.analyze(frame: buffer[offset..<min(offset + frame, buffer.count)]))
                    }
                }
                let fd = shared.withLock { state in
                    for frame in frames { state.totals.add(frame) }
                    return state.target
                }
                if fd >= 0 {
                    buffer.withUnsafeBytes { bytes in
                        var done = 0
                        while done < bytes.count {
                            let wrote = write(fd, bytes.baseAddress! + done, bytes.count - done)
                            if wrote < 0 && errno == EINTR { continue }
                            if wrote <= 0 { break }
                            done += wrote
                        }
                    }
                }
                sent += Int64(buffer.count)
                let due = started + sent * 1000 / 16_000
                let wait = due - now()
                if wait > 0 { usleep(useconds_t(wait * 1000)) }
            }
        }
    }

    static func message(_ error: any Error, _ device: String) -> String {
        (error as? HardwareError)?.pcmMessage(device) ?? "ALSA PCM '\(device)': \(error)"
    }

    func attach(_ fd: Int32) { shared.withLock { $0.target = fd } }
    func detach() { shared.withLock { $0.target = -1 } }
    func stop() { shared.withLock { $0.running = false } }
}
