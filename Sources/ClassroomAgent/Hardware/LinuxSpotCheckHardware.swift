import ClassroomCore
import LinuxHardware
import Synchronization

/// The spot-check chime through ALSA (``Chime``), played on a thread of its own (playback blocks).
public struct LinuxChimePlayer: ChimePlayer {
    public init() {}

    public func playChime(device: String) async throws(HardwareFault) {
        let error = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            DedicatedThread.run(name: "cf-chime") {
                do throws(HardwareError) {
                    try Chime.play(device: device)
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error.pcmMessage(device))
                }
            }
        }
        if let error { throw HardwareFault(error) }
    }
}

/// The stream's microphone through ALSA: LinuxHardware's ``MicrophoneTap`` (the speech meter's capture
/// loop, also handing out the samples) on a thread of its own.
public struct LinuxStreamMicrophone: StreamMicrophone {
    public init() {}

    public func startCapture(
        device: String, samples: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
    ) -> any MicrophoneCapture {
        let capture = Capture()
        let thread = DedicatedThread.start(name: "cf-stream-audio") { stop in
            MicrophoneTap(device: device).run(
                shouldStop: { stop.isSet }, samples: samples,
                report: { tap in capture.shared.withLock { $0.report = StreamAudioReport(totals: tap.totals, error: tap.error) } }
            )
        }
        capture.shared.withLock { shared in
            shared.thread = thread
            if thread == nil { shared.report.error = "cannot start the stream's audio thread" }
        }
        return capture
    }

    final class Capture: MicrophoneCapture {
        struct Shared {
            var report = StreamAudioReport()
            var thread: DedicatedThread?
        }

        let shared = Mutex(Shared())

        var report: StreamAudioReport { shared.withLock { $0.report } }
        func stop() { shared.withLock { $0.thread?.stop.set() } }
    }
}
