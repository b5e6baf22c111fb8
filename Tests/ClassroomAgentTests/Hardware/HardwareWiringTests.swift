import ClassroomTestSupport
import Foundation
import Testing

/// The real `classroomd run` on simulated classroom hardware, delivering to the fake collector:
/// inventory at start, usage minutes from the display and the microphone, hotplug changes.
@Suite("classroomd run on simulated hardware (umockdev, ALSA file PCM)", .serialized)
struct HardwareWiringTests {
    @Test("recording classroom, a lesson on the microphone: inventory snapshot and minutes with speech")
    func speechLesson() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let room = try SimulatedClassroom(
            collector: collector, tree: "recording-classroom", microphone: "speech_en", label: "wired-speech")
        defer { room.agent.remove() }
        let arrived = try await AgentUnderTest.eventually(40) {
            try await StoredEvents.fetch(collector).filter { $0.kind == "usage_minute" }.count >= 4
        }
        #expect(await room.stop())
        let events = try await StoredEvents.fetch(collector)
        #expect(arrived, "usage minutes did not arrive; log:\n\(room.agent.log)")

        let snapshot = try #require(events.first { $0.kind == "inventory_snapshot" }?.inventory)
        #expect(snapshot.cameras?.count == 2)
        #expect(snapshot.microphones?.count == 1)
        #expect(snapshot.displays?.map(\.connector) == ["HDMI-A-1", "HDMI-A-2"])

        let minutes = events.compactMap(\.usage_minute)
        #expect(minutes.allSatisfy { $0.display_on }, "HDMI-A-1 is connected with DPMS On")
        #expect(minutes.allSatisfy { $0.touch_events == 0 }, "the recording classroom has no touchscreen")
        #expect(minutes.contains { $0.speech_seconds > 0.5 }, "\(minutes.map(\.speech_seconds))")
        #expect(minutes.allSatisfy { $0.speech_seconds <= 2.5 }, "a 2 s minute holds at most 2 s (+ ¼ s period) of speech")
        #expect(minutes.contains { $0.mean_dbfs != nil })
    }

    @Test("blackboard panel, a silent room: minutes without speech, a camera plugged in is an inventory change")
    func silenceAndHotplug() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let camera = SimulatedClassroom.umockdevFile("hotplug-second-camera").path
        let room = try SimulatedClassroom(
            collector: collector, tree: "blackboard-panel", microphone: "near_silence",
            steps: ["wait-line", "sleep 4000", "add \(camera)"], label: "wired-hotplug")
        defer { room.agent.remove() }
        let arrived = try await AgentUnderTest.eventually(40) {
            let events = try await StoredEvents.fetch(collector)
            return events.contains { $0.kind == "inventory_change" } && events.filter { $0.kind == "usage_minute" }.count >= 3
        }
        #expect(await room.stop())
        let events = try await StoredEvents.fetch(collector)
        #expect(arrived, "events missing; log:\n\(room.agent.log)")

        let change = try #require(events.first { $0.kind == "inventory_change" }?.inventory)
        #expect(change.action == "add")
        #expect(change.device_kind == "camera")
        #expect(change.device_id == "pci-0000:00:14.0-usb-0:3:1.0-video-index0")
        #expect(change.inventory?.cameras.map(\.name).contains("USB 2.0 Camera") == true)
        let snapshot = try #require(events.first { $0.kind == "inventory_snapshot" })
        #expect(snapshot.inventory?.cameras?.count == 1)

        let minutes = events.compactMap(\.usage_minute)
        #expect(minutes.count >= 3)
        #expect(minutes.allSatisfy { $0.speech_seconds == 0 }, "\(minutes.map(\.speech_seconds))")
        #expect(minutes.contains { $0.mean_dbfs != nil }, "the silent microphone is still metered")
    }

    @Test("blackboard panel, three taps and a pinch replayed on the touchscreen: five touches over the minutes")
    func touches() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let room = try SimulatedClassroom(
            collector: collector, tree: "blackboard-panel", microphone: "near_silence", touches: "three-taps-multitouch",
            label: "wired-touch")
        defer { room.agent.remove() }
        let counted = try await AgentUnderTest.eventually(40) {
            let minutes = try await StoredEvents.fetch(collector).compactMap(\.usage_minute)
            return minutes.count >= 4 && minutes.map(\.touch_events).reduce(0, +) >= 5
        }
        #expect(await room.stop())
        let minutes = try await StoredEvents.fetch(collector).compactMap(\.usage_minute)
        #expect(counted, "touches \(minutes.map(\.touch_events)); log:\n\(room.agent.log)")
        #expect(minutes.map(\.touch_events).reduce(0, +) == 5, "each touch counted once")
    }

    @Test("no display, no touchscreen, a microphone that does not exist: minutes of nothing, logged once, no crash")
    func missingHardware() async throws {
        let collector = try FakeCollector(directory: try TestProcess.temporaryDirectory("collector"))
        let room = try SimulatedClassroom(
            collector: collector, tree: "network-only", microphone: "no_such_pcm", label: "wired-missing")
        defer { room.agent.remove() }
        let arrived = try await AgentUnderTest.eventually(40) {
            try await StoredEvents.fetch(collector).filter { $0.kind == "usage_minute" }.count >= 3
        }
        let running = room.process.isRunning
        #expect(await room.stop())
        let events = try await StoredEvents.fetch(collector)
        #expect(arrived, "log:\n\(room.agent.log)")
        #expect(running, "classroomd kept running without hardware")
        let minutes = events.compactMap(\.usage_minute)
        #expect(minutes.allSatisfy { !$0.display_on && $0.touch_events == 0 && $0.speech_seconds == 0 })
        #expect(minutes.allSatisfy { $0.mean_dbfs == nil }, "no levels are invented for a microphone that is not there")
        let failures = room.agent.log.components(separatedBy: "cannot meter speech").count - 1
        #expect(failures == 1, "the missing microphone is logged once, naming it:\n\(room.agent.log)")
        #expect(room.agent.log.contains("no_such_pcm"))
        #expect(events.first { $0.kind == "inventory_snapshot" }?.inventory?.cameras?.isEmpty == true)
    }

    @Test("a usage period outside 1…60 s is refused with the variable's name")
    func badUsagePeriod() throws {
        let agent = try AgentUnderTest(collector: nil, label: "wired-knob")
        defer { agent.remove() }
        for value in ["0", "61", "fast"] {
            let output = try agent.classroomd(
                ["run", "--config", agent.configPath], environment: ["CLASSROOMD_USAGE_PERIOD_SECONDS": value])
            #expect(output.status == 78)
            #expect(output.stderr.contains("CLASSROOMD_USAGE_PERIOD_SECONDS=\(value)"))
        }
    }
}
