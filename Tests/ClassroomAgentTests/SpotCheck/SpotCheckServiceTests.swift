import ClassroomAgent
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The daemon's spot-check service on fake hardware (chime, stream microphone, the usage meter's
/// microphone) and a clock the test moves by hand (no ALSA, not the machine's clock), with real child
/// processes standing in for a broken or stuck ffmpeg (`/bin/false`, `sleep`), a real outbox and the
/// real signer.
@Suite(.serialized) struct SpotCheckServiceTests {
    struct FixedInventory: InventorySource {
        var inventory: HardwareInventory
        func snapshot() async throws -> HardwareInventory { inventory }
        func changes() -> AsyncStream<InventoryChange> { AsyncStream { $0.finish() } }
    }

    struct Fixture {
        let directory: URL
        let outbox: Outbox
        let signer = EvidenceSigner()
        let service: SpotCheckService
        let microphoneOwner = FakeMeteredMicrophone()
        let streamMicrophone: FakeStreamMicrophone
        let chimePlayer = FakeChime(failing: ["no_such_pcm"])
        let clock: ManualClock

        init(
            camera: String? = "-f lavfi -i testsrc2=size=320x240:rate=10", microphone: String? = "null",
            ffmpeg: String = "/bin/false", inventory: HardwareInventory? = nil, chime: String? = nil, notify: String? = nil,
            clock: ManualClock = ManualClock(SpotCheckServiceTests.agentNow),
            audio: StreamAudioReport = StreamAudioReport(), streams: Bool = true
        ) throws {
            self.clock = clock
            streamMicrophone = FakeStreamMicrophone(report: audio)
            directory = try TestProcess.temporaryDirectory("spotcheck-service")
            var config = AgentConfig()
            config.stateDirectory = directory.path
            config.camera = camera
            config.microphone = microphone
            config.ffmpeg = ffmpeg
            config.chimeDevice = chime
            config.notifyCommand = notify
            outbox = try Outbox(
                path: directory.appending(path: "outbox.db").path, logger: Logger(label: "test"), clock: clock.agentClock)
            let hardware = AgentHardware(
                speech: microphoneOwner, inventory: inventory.map { FixedInventory(inventory: $0) }, chime: chimePlayer,
                streamMicrophone: streams ? streamMicrophone : nil)
            service = SpotCheckService(
                config: config, hardware: hardware, signer: signer, outbox: outbox, logger: Logger(label: "test"))
        }

        /// The evidence events in the outbox, checked against the signer's public key.
        func evidence() async throws -> [SpotCheckEvidencePayload] {
            try await outbox.pending().compactMap { event in
                guard case .evidence(let signed) = event.body else { return nil }
                #expect(EvidenceSigner.verify(signed, publicKeyBase64: signer.publicKeyBase64))
                return signed.decodedPayload
            }
        }

        /// Polls for evidence; `advancing` moves the agent's clock on by that much per poll (restart backoffs).
        func waitForEvidence(_ seconds: Double = 40, advancing: Int64 = 0) async throws -> [SpotCheckEvidencePayload] {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let found = try await evidence()
                if !found.isEmpty { return found }
                clock.advance(byMillis: advancing)
                try await Task.sleep(for: .milliseconds(100))
            }
            return []
        }

        func script(_ body: String) throws -> String {
            let path = directory.appending(path: "fake-ffmpeg.sh").path
            try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }
    }

    /// Where the fixtures' clock starts: 2027-01-15, weeks after the machine's clock, so an order dated
    /// by the machine's clock would be refused: every test shows the service reads the injected clock.
    static let agentNow: Int64 = 1_800_000_000_000

    static func order(_ id: String, endsIn seconds: Int64 = 60, url: String = "rtmp://127.0.0.1:9/live/cfk_x")
        -> SpotCheckOrderPayload
    {
        let now = agentNow
        return SpotCheckOrderPayload(
            orderID: id, ingestURL: url, lessonStart: now - 600_000, lessonEnd: now + seconds * 1000, teacherName: "王老师",
            subject: "语文")
    }

    @Test func badOrdersAreRefusedWithoutEvidence() async throws {
        let f = try Fixture()
        let http = await f.service.start(Self.order("o1", url: "http://127.0.0.1/live/k"), commandID: "c1")
        #expect(http.status == "failed" && http.message?.contains("not an rtmp:// URL") == true, "\(http)")
        let noKey = await f.service.start(Self.order("o1", url: "rtmp://127.0.0.1"), commandID: "c2")
        #expect(noKey.status == "failed", "\(noKey)")
        let over = await f.service.start(Self.order("o2", endsIn: -5), commandID: "c3")
        #expect(over.status == "failed" && over.message?.contains("the lesson ended") == true, "\(over)")
        #expect(try await f.evidence().isEmpty)
        #expect(f.service.liveStatus == nil)
        let stop = await f.service.stop(commandID: "c4")
        #expect(stop.status == "ignored")
        let chime = await f.service.chime(commandID: "c5")
        #expect(chime.status == "failed" && chime.message?.contains("chime_device") == true)
    }

    @Test func noCameraGivesSignedFaultEvidence() async throws {
        let microphone = AudioEndpoint(id: "mic", card: 1, device: 0, name: "USB", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")
        let f = try Fixture(camera: nil, microphone: nil, inventory: HardwareInventory(microphones: [microphone]))
        let answer = await f.service.start(Self.order("o-cam"), commandID: "c1")
        #expect(answer.status == "failed" && answer.message == "no camera", "\(answer)")
        let evidence = try await f.evidence()
        #expect(evidence.count == 1)
        #expect(evidence.first?.fault == "no_camera")
        #expect(evidence.first?.microphone == "hw:1,0" && evidence.first?.camera == nil)
        #expect(evidence.first?.orderID == "o-cam" && evidence.first?.bytesSent == 0)
        let again = await f.service.start(Self.order("o-cam"), commandID: "c1")
        #expect(again.status == "done", "a resumed command does not report twice: \(again)")
        #expect(try await f.evidence().count == 1)
    }

    @Test func theLessonWindowAndTheEvidenceFollowTheAgentsClock() async throws {
        // The agent's clock runs three days behind the machine's wall clock (as under the daemon's
        // offset): an order for a lesson "now" on that clock is taken, one over on it is refused, and
        // the evidence is stamped with it, like every event.
        let agentNow = AgentClock.system.nowMillis() - 3 * 86_400_000
        let f = try Fixture(camera: nil, microphone: "null", inventory: .empty, clock: ManualClock(agentNow))
        func order(_ id: String, endsIn seconds: Int64) -> SpotCheckOrderPayload {
            SpotCheckOrderPayload(
                orderID: id, ingestURL: "rtmp://127.0.0.1:9/live/cfk_x", lessonStart: agentNow - 600_000,
                lessonEnd: agentNow + seconds * 1000, teacherName: "王老师", subject: "语文")
        }
        let over = await f.service.start(order("o-over", endsIn: -5), commandID: "c1")
        #expect(over.status == "failed" && over.message?.contains("the lesson ended") == true, "\(over)")
        let taken = await f.service.start(order("o-now", endsIn: 3600), commandID: "c2")
        #expect(taken.status == "failed" && taken.message == "no camera", "checked against the agent's clock: \(taken)")
        let evidence = try await f.evidence()
        #expect(evidence.map(\.orderID) == ["o-now"])
        #expect(evidence.first?.startedAt == agentNow && evidence.first?.endedAt == agentNow)
        let queued = try await f.outbox.pending()
        #expect(queued.map(\.at) == [agentNow], "the event's own time is the same clock")
    }

    @Test func noMicrophoneGivesSignedFaultEvidence() async throws {
        let f = try Fixture(microphone: nil, inventory: .empty)
        let answer = await f.service.start(Self.order("o-mic"), commandID: "c1")
        #expect(answer.status == "failed" && answer.message == "no microphone", "\(answer)")
        #expect(try await f.evidence().map(\.fault) == ["no_microphone"])
    }

    @Test func failingFFmpegEndsWithFaultEvidenceAndOneStreamAtATime() async throws {
        let f = try Fixture(ffmpeg: "/bin/false")
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        let first = await f.service.start(Self.order("o-1"), commandID: "c1")
        #expect(first.status == "started", "\(first)")
        let resumed = await f.service.start(Self.order("o-1"), commandID: "c1")
        #expect(resumed.status == "started" && resumed.message == "already streaming this order", "\(resumed)")
        let other = await f.service.start(Self.order("o-2"), commandID: "c2")
        #expect(other.status == "failed" && other.message == "busy: streaming order o-1", "\(other)")
        let evidence = try await f.waitForEvidence(advancing: 500)
        #expect(evidence.count == 1)
        let fault = try #require(evidence.first?.fault)
        #expect(fault.hasPrefix("ffmpeg_failed: not_published"), "\(fault)")
        #expect(evidence.first?.ffmpegExit == 1)
        #expect(f.service.liveStatus?.state == "finished" && f.service.liveStatus?.outcome == "not_published")
        let after = await f.service.start(Self.order("o-1"), commandID: "c1")
        #expect(after.status == "done" && after.message?.contains("not_published") == true, "\(after)")
    }

    @Test func stopCommandEndsTheStreamWithEvidence() async throws {
        let f = try Fixture()
        let stuck = try f.script("exec sleep 120")
        let g = try Fixture(ffmpeg: stuck)
        let running = Task { try await g.service.run() }
        defer { running.cancel() }
        #expect(await g.service.start(Self.order("o-stop"), commandID: "c1").status == "started")
        let pid = try await Self.ffmpegPID(of: g.service)
        #expect(g.microphoneOwner.calls.withLock { $0 } == ["lend"], "the usage meter lends the microphone to the stream")
        let stop = await g.service.stop(commandID: "c2")
        #expect(stop.status == "done" && stop.message == "stopping order o-stop", "\(stop)")
        let evidence = try await g.waitForEvidence()
        #expect(evidence.count == 1 && evidence.first?.fault == nil, "a stopped stream is not a fault: \(evidence)")
        #expect(evidence.first?.bytesSent == 0 && evidence.first?.ffmpegExit == nil)
        #expect(kill(pid, 0) == -1, "the stuck 'ffmpeg' was ended and reaped")
        #expect(g.service.liveStatus?.outcome == "stopped")
        #expect(g.microphoneOwner.calls.withLock { $0 } == ["lend", "takeBack"])
    }

    @Test func gracefulShutdownStopsTheStreamAndQueuesEvidence() async throws {
        let f = try Fixture()
        let stuck = try f.script("exec sleep 120")
        let g = try Fixture(ffmpeg: stuck)
        let group = ServiceGroup(services: [g.service], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        #expect(await g.service.start(Self.order("o-term"), commandID: "c1").status == "started")
        let pid = try await Self.ffmpegPID(of: g.service)
        await group.triggerGracefulShutdown()
        try await running.value
        let evidence = try await g.evidence()
        #expect(evidence.map(\.orderID) == ["o-term"])
        #expect(kill(pid, 0) == -1)
        let late = await g.service.start(Self.order("o-late"), commandID: "c2")
        #expect(late.status == "failed" && late.message == "the agent is stopping", "\(late)")
    }

    @Test func chimeCommandPlaysOnTheConfiguredDevice() async throws {
        let played = try Fixture(chime: "chime_out")
        let done = await played.service.chime(commandID: "c1")
        #expect(done.status == "done" && done.message == nil, "\(done)")
        #expect(played.chimePlayer.played.withLock { $0 } == ["chime_out"])
        let missing = try Fixture(chime: "no_such_pcm")
        let failed = await missing.service.chime(commandID: "c2")
        #expect(failed.status == "failed" && failed.message?.contains("no_such_pcm") == true, "\(failed)")
    }

    @Test func aStreamChimesOnceAndTakesTheConfiguredMicrophone() async throws {
        let stuck = try Fixture().script("exec sleep 120")
        var speech = SpeechActivityTotals()
        speech.add(
            SpeechFrame(
                rmsDBFS: -20, peakDBFS: -10, meanSquare: 0.01, peakLinear: 0.3, clipped: false, isSpeech: true,
                decisionEnergyDBFS: -20))
        speech.add(
            SpeechFrame(
                rmsDBFS: -60, peakDBFS: -50, meanSquare: 0.000001, peakLinear: 0.003, clipped: false, isSpeech: false,
                decisionEnergyDBFS: -60))
        let f = try Fixture(
            microphone: "hw:2,0", ffmpeg: stuck, chime: "default", audio: StreamAudioReport(totals: speech, error: nil))
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        #expect(await f.service.start(Self.order("o-mic"), commandID: "c1").status == "started")
        _ = try await Self.ffmpegPID(of: f.service)
        #expect(f.chimePlayer.played.withLock { $0 } == ["default"], "the room hears the chime before the stream")
        #expect(f.streamMicrophone.devices == ["hw:2,0"])
        #expect(await f.service.stop(commandID: "c2").status == "done")
        let evidence = try await f.waitForEvidence()
        #expect(evidence.first?.speechRatio == 0.5, "the stream's speech ratio is the microphone's: \(evidence)")
        #expect(evidence.first?.microphone == "hw:2,0")
        #expect(f.streamMicrophone.allStopped, "the capture ends with the stream")
    }

    @Test func aStalledFFmpegIsRestartedWhenTheAgentsClockSaysSo() async throws {
        // The stand-in ffmpeg never reports a byte. Nothing happens while the clock stands still; once
        // it passes the stall time the run is ended (SIGINT) and, after the backoff, launched again.
        let stuck = try Fixture().script("exec sleep 120")
        let f = try Fixture(ffmpeg: stuck)
        let running = Task { try await f.service.run() }
        defer { running.cancel() }
        #expect(await f.service.start(Self.order("o-stall", endsIn: 600), commandID: "c1").status == "started")
        let first = try await Self.ffmpegPID(of: f.service)
        try await Task.sleep(for: .milliseconds(300))
        #expect(f.service.liveStatus?.ffmpegPID == first && f.service.liveStatus?.restarts == 0, "no time passed: no stall")
        f.clock.advance(byMillis: 30_000)
        var second: Int32?
        for _ in 0..<100 where second == nil {
            try await Task.sleep(for: .milliseconds(100))
            f.clock.advance(byMillis: 500)
            if let pid = f.service.liveStatus?.ffmpegPID, pid != first { second = pid }
        }
        #expect(second != nil, "a new ffmpeg after the stall: \(String(describing: f.service.liveStatus))")
        #expect(kill(first, 0) == -1, "the stalled one was ended")
        #expect(f.service.liveStatus?.restarts == 1)
        #expect(await f.service.stop(commandID: "c2").status == "done")
        let evidence = try await f.waitForEvidence()
        #expect(evidence.first?.fault == nil && evidence.first?.stopReason == "stopped by the collector", "\(evidence)")
    }

    @Test func anAgentWithoutAStreamMicrophoneCannotStream() async throws {
        let f = try Fixture(streams: false)
        let answer = await f.service.start(Self.order("o-none"), commandID: "c1")
        #expect(answer.status == "failed" && answer.message == "no microphone", "\(answer)")
        #expect(try await f.evidence().map(\.fault) == ["no_microphone"])
    }

    /// Waits until the service runs a child process and returns its pid.
    static func ffmpegPID(of service: SpotCheckService) async throws -> Int32 {
        for _ in 0..<100 {
            if let pid = service.liveStatus?.ffmpegPID { return pid }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError("no child process started: \(String(describing: service.liveStatus))")
    }
}
