import ClassroomAgent
import ClassroomCore
import Synchronization

/// A clock the test moves by hand (``advance(byMillis:)``); it never follows the machine's.
final class ManualClock: Sendable {
    private let millis: Mutex<Int64>

    init(_ start: Int64) { millis = Mutex(start) }

    var now: Int64 { millis.withLock { $0 } }
    func advance(byMillis step: Int64) { millis.withLock { $0 += step } }
    /// The agent's clock reading this one.
    var agentClock: AgentClock { AgentClock(reading: { [self] in now }) }
}

/// A chime that records where it was played; `failing` devices throw like a missing ALSA PCM.
final class FakeChime: ChimePlayer {
    let played = Mutex<[String]>([])
    let failing: Set<String>

    init(failing: Set<String> = []) { self.failing = failing }

    func playChime(device: String) async throws(HardwareFault) {
        if failing.contains(device) { throw HardwareFault("no such ALSA PCM '\(device)'") }
        played.withLock { $0.append(device) }
    }
}

/// A stream microphone that delivers no samples and reports the figures it was given; records the
/// devices it was asked for and whether each capture was stopped.
final class FakeStreamMicrophone: StreamMicrophone {
    final class Capture: MicrophoneCapture {
        let fixed: StreamAudioReport
        let stopped = Atomic<Bool>(false)
        init(_ report: StreamAudioReport) { fixed = report }
        var report: StreamAudioReport { fixed }
        func stop() { stopped.store(true, ordering: .relaxed) }
    }

    let report: StreamAudioReport
    let captures = Mutex<[(device: String, capture: Capture)]>([])

    init(report: StreamAudioReport = StreamAudioReport()) { self.report = report }

    func startCapture(device: String, samples: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) -> any MicrophoneCapture {
        let capture = Capture(report)
        captures.withLock { $0.append((device, capture)) }
        return capture
    }

    var devices: [String] { captures.withLock { $0.map(\.device) } }
    var allStopped: Bool { captures.withLock { $0.allSatisfy { $0.capture.stopped.load(ordering: .relaxed) } } }
}

/// The usage meter's side of the shared microphone: records when it was lent and taken back.
final class FakeMeteredMicrophone: SpeechSignal, MicrophoneSharing {
    let calls = Mutex<[String]>([])
    func takeSpeechSummary() async -> SpeechSummary? { nil }
    func lend() async { calls.withLock { $0.append("lend") } }
    func takeBack() { calls.withLock { $0.append("takeBack") } }
}
