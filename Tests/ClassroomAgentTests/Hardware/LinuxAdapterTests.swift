import ClassroomCore
import ClassroomWire
import Foundation
import LinuxHardware
import Logging
import Synchronization
import Testing

@testable import ClassroomAgent

/// The Linux adapters' own logic, in process: the wire mapping of hotplug changes, the dedicated
/// thread, and the speech signal on ALSA `file` PCMs (the test process reads only the fixture config).
@Suite("Linux hardware adapters", .serialized)
struct LinuxAdapterTests {
    static let logger = Logger(label: "test")

    static func useFixtureALSA() throws {
        setenv("ALSA_CONFIG_PATH", try SimulatedClassroom.alsaConfig.get(), 1)
    }

    @Test(
        "each hotplug action maps to the wire's action, with the inventory after it",
        arguments: [
            (HardwareChangeAction.add, InventoryChange.Action.add), (.remove, .remove), (.change, .change), (.flap, .flap),
        ])
    func wireMapping(action: HardwareChangeAction, expected: InventoryChange.Action) throws {
        let json = #"{"action":"\#(action.rawValue)","device_kind":"camera","device_id":"usb-1","name":"C920","transitions":2}"#
        let change = try JSONDecoder().decode(HardwareChangeForTest.self, from: Data(json.utf8)).change
        var inventory = HardwareInventory()
        inventory.network = [NetworkInterface(interface: "eth0", kind: .ethernet, mac: nil)]
        let wire = LinuxInventorySource.wireChange(change, inventory: inventory)
        #expect(wire.action == expected)
        #expect(wire.deviceKind == "camera")
        #expect(wire.deviceID == "usb-1")
        #expect(wire.inventory == inventory)
    }

    /// What the thread under test did, read from the test.
    final class Progress: Sendable {
        let ticks = Atomic<Int>(0)
        let ended = Atomic<Bool>(false)
        var tickCount: Int { ticks.load(ordering: .relaxed) }
        var hasEnded: Bool { ended.load(ordering: .acquiring) }
    }

    @Test("a dedicated thread runs its body off the pool and ends when asked")
    func dedicatedThread() async throws {
        let progress = Progress()
        let thread = try #require(
            DedicatedThread.start(name: "test-thread") { stop in
                while !stop.isSet {
                    progress.ticks.add(1, ordering: .relaxed)
                    _ = DedicatedThread.sleep(seconds: 0.01, unless: stop)
                }
                progress.ended.store(true, ordering: .releasing)
            })
        let ticking = await AgentUnderTest.eventually(10) { progress.tickCount > 2 }
        #expect(ticking)
        #expect(!progress.hasEnded)
        thread.stop.set()
        let ended = await AgentUnderTest.eventually(10) { progress.hasEnded }
        #expect(ended)
    }

    @Test("a microphone that does not exist: no summary (nil), no crash, asked again still nil")
    func missingMicrophone() async throws {
        try Self.useFixtureALSA()
        let inventory = LinuxInventorySource(logger: Self.logger)
        let speech = LinuxSpeechSignal(microphone: "no_such_pcm", inventory: inventory, logger: Self.logger)
        #expect(await speech.takeSpeechSummary() == nil)
        try await Task.sleep(for: .milliseconds(300))
        #expect(await speech.takeSpeechSummary() == nil)
    }

    @Test("speech on a file PCM: seconds of speech, never more than the wall-clock time that passed")
    func speechIsPaced() async throws {
        try Self.useFixtureALSA()
        let inventory = LinuxInventorySource(logger: Self.logger)
        let speech = LinuxSpeechSignal(microphone: "speech_en", inventory: inventory, logger: Self.logger)
        let clock = ContinuousClock()
        let start = clock.now
        _ = await speech.takeSpeechSummary()  // starts metering
        var total = 0.0
        let got = await AgentUnderTest.eventually(20) {
            total += await speech.takeSpeechSummary()?.speechSeconds ?? 0
            return total >= 1
        }
        let elapsed = (clock.now - start) / .seconds(1)
        #expect(got, "speech seconds \(total)")
        #expect(total <= elapsed + 1, "\(total) s of speech in \(elapsed) s: the file PCM must be paced")
    }

    /// Whether this process has the fixture's raw file open (a `file` PCM opens its `infile`).
    static func holdsOpen(_ name: String) -> Bool {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.contains { fd in
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) ?? "").hasSuffix(name)
        }
    }

    @Test("the microphone lent to a spot-check is closed until taken back, then metered again")
    func microphoneIsLent() async throws {
        try Self.useFixtureALSA()
        let inventory = LinuxInventorySource(logger: Self.logger)
        let speech = LinuxSpeechSignal(microphone: "speech_zh", inventory: inventory, logger: Self.logger)
        _ = await speech.takeSpeechSummary()  // starts metering
        #expect(await AgentUnderTest.eventually(10) { Self.holdsOpen("speech-zh.raw") }, "metering opened the PCM")
        await speech.lend()
        #expect(!Self.holdsOpen("speech-zh.raw"), "lent: the PCM is closed when lend() returns")
        _ = await speech.takeSpeechSummary()
        try await Task.sleep(for: .milliseconds(500))
        #expect(await speech.takeSpeechSummary() == nil, "nothing metered while lent")
        speech.takeBack()
        #expect(await AgentUnderTest.eventually(10) { Self.holdsOpen("speech-zh.raw") }, "metering again")
        var total = 0.0
        #expect(
            await AgentUnderTest.eventually(20) {
                total += await speech.takeSpeechSummary()?.speechSeconds ?? 0
                return total > 0
            })
    }
}

/// `HardwareChange` has no public memberwise initialiser; tests build it from its JSON.
private struct HardwareChangeForTest: Decodable {
    var change: HardwareChange
    init(from decoder: any Decoder) throws { change = try HardwareChange(from: decoder) }
}

/// The spot-check's Linux adapters on ALSA `file` PCMs: the chime, and the stream's microphone tap.
@Suite("Linux spot-check adapters", .serialized)
struct LinuxSpotCheckAdapterTests {
    /// Bytes the tap delivered, read from the test.
    final class Received: Sendable {
        let bytes = Atomic<Int>(0)
        let odd = Atomic<Bool>(false)
    }

    @Test("the chime plays on a PCM and names a missing one")
    func chime() async throws {
        try LinuxAdapterTests.useFixtureALSA()
        try await LinuxChimePlayer().playChime(device: "chime_out")
        await #expect(throws: HardwareFault.self) { try await LinuxChimePlayer().playChime(device: "no_such_pcm") }
        do {
            try await LinuxChimePlayer().playChime(device: "no_such_pcm")
        } catch {
            #expect(error.description.contains("no_such_pcm"), "\(error)")
        }
    }

    @Test("the stream's microphone hands out speech samples in real time with their speech figures")
    func streamMicrophone() async throws {
        try LinuxAdapterTests.useFixtureALSA()
        let received = Received()
        let capture = LinuxStreamMicrophone().startCapture(device: "speech_en") { block in
            received.bytes.add(block.count, ordering: .relaxed)
            if block.count % 2 != 0 { received.odd.store(true, ordering: .relaxed) }
        }
        let started = ContinuousClock.now
        let speaking = await AgentUnderTest.eventually(20) { capture.report.totals.speechFrames > 10 }
        capture.stop()
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        #expect(speaking, "\(capture.report)")
        #expect(capture.report.error == nil)
        let bytes = received.bytes.load(ordering: .relaxed)
        #expect(bytes > 0 && !received.odd.load(ordering: .relaxed))
        // Paced: never more than the time that passed (+ one block), although the file PCM is instant.
        #expect(Double(bytes) / 32_000 <= elapsed + 0.2, "\(bytes) bytes in \(elapsed) s")
    }

    @Test("a microphone that cannot be opened streams silence and says why")
    func silenceOnAMissingMicrophone() async throws {
        try LinuxAdapterTests.useFixtureALSA()
        let received = Received()
        let capture = LinuxStreamMicrophone().startCapture(device: "no_such_pcm") { block in
            received.bytes.add(block.count, ordering: .relaxed)
        }
        let flowing = await AgentUnderTest.eventually(10) { received.bytes.load(ordering: .relaxed) >= 6_400 }
        capture.stop()
        #expect(flowing, "silence keeps ffmpeg's audio input going")
        #expect(capture.report.error?.contains("no_such_pcm") == true, "\(capture.report)")
        #expect(capture.report.totals.frames == 0)
    }
}
