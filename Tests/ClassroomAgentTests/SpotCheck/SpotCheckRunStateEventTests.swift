import ClassroomTestSupport
import Foundation
import Logging
import Testing

@testable import ClassroomAgent

/// Every event in every phase of ``SpotCheckRunState`` (lesson ends at 100 s, backoff 1 s, stall
/// 30 s, kill grace 5 s): the actions it returns, the phase after it, and the next deadline.
@Suite("Spot-check run state: every event in every phase")
struct SpotCheckRunStateEventTests {
    typealias State = SpotCheckRunState

    /// The phases a run can be in, each reached through events from a fresh state.
    enum Setup: String, CaseIterable, Sendable {
        case idle, streaming, stalling, stopping, waiting, finished

        var state: State {
            var state = State(
                lessonEnd: 100_000, maximumRestarts: 3, backoffMillis: 1_000, stallMillis: 30_000, killGraceMillis: 5_000)
            switch self {
            case .idle: break
            case .streaming: _ = state.handle(.start(now: 0))
            case .stalling:
                _ = state.handle(.start(now: 0))
                _ = state.handle(.tick(now: 30_000))
            case .stopping:
                _ = state.handle(.start(now: 0))
                _ = state.handle(.stop(now: 10))
            case .waiting:
                _ = state.handle(.start(now: 0))
                _ = state.handle(.ffmpegExited(now: 100))
            case .finished: _ = state.handle(.stop(now: 0))
            }
            return state
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var setup: Setup
        var event: State.Event
        var actions: [State.Action]
        var phase: State.Phase
        var testDescription: String { "\(setup.rawValue) + \(event)" }
    }

    static let streaming = State.Phase.streaming(stopping: false)
    static let stopping = State.Phase.streaming(stopping: true)

    static let cases: [Case] = [
        Case(setup: .idle, event: .start(now: 0), actions: [.launchFFmpeg], phase: streaming),
        Case(setup: .idle, event: .progress(bytes: 10, now: 0), actions: [], phase: .idle),
        Case(setup: .idle, event: .ffmpegExited(now: 0), actions: [], phase: .idle),
        Case(setup: .idle, event: .launchFailed, actions: [.finish(.ffmpegMissing)], phase: .finished(.ffmpegMissing)),
        Case(setup: .idle, event: .tick(now: 50_000), actions: [], phase: .idle),
        Case(setup: .idle, event: .stop(now: 0), actions: [.finish(.stopped)], phase: .finished(.stopped)),

        Case(setup: .streaming, event: .start(now: 5), actions: [], phase: streaming),
        Case(setup: .streaming, event: .progress(bytes: 10, now: 20_000), actions: [], phase: streaming),
        Case(
            setup: .streaming, event: .ffmpegExited(now: 200), actions: [.scheduleRestart(at: 1_200)],
            phase: .waitingToRestart(until: 1_200)),
        Case(setup: .streaming, event: .launchFailed, actions: [.finish(.ffmpegMissing)], phase: .finished(.ffmpegMissing)),
        Case(setup: .streaming, event: .tick(now: 29_999), actions: [], phase: streaming),
        Case(setup: .streaming, event: .tick(now: 30_000), actions: [.terminateFFmpeg], phase: streaming),
        Case(setup: .streaming, event: .stop(now: 10), actions: [.terminateFFmpeg], phase: stopping),

        Case(setup: .stalling, event: .start(now: 31_000), actions: [], phase: streaming),
        Case(setup: .stalling, event: .progress(bytes: 10, now: 31_000), actions: [], phase: streaming),
        Case(
            setup: .stalling, event: .ffmpegExited(now: 31_000), actions: [.scheduleRestart(at: 32_000)],
            phase: .waitingToRestart(until: 32_000)),
        Case(setup: .stalling, event: .launchFailed, actions: [.finish(.ffmpegMissing)], phase: .finished(.ffmpegMissing)),
        Case(setup: .stalling, event: .tick(now: 34_999), actions: [], phase: streaming),
        Case(setup: .stalling, event: .tick(now: 35_000), actions: [.killFFmpeg], phase: streaming),
        Case(setup: .stalling, event: .stop(now: 31_000), actions: [], phase: stopping),

        Case(setup: .stopping, event: .start(now: 20), actions: [], phase: stopping),
        Case(setup: .stopping, event: .progress(bytes: 10, now: 20), actions: [], phase: stopping),
        Case(setup: .stopping, event: .ffmpegExited(now: 100), actions: [.finish(.stopped)], phase: .finished(.stopped)),
        Case(setup: .stopping, event: .launchFailed, actions: [.finish(.ffmpegMissing)], phase: .finished(.ffmpegMissing)),
        Case(setup: .stopping, event: .tick(now: 5_009), actions: [], phase: stopping),
        Case(setup: .stopping, event: .tick(now: 5_010), actions: [.killFFmpeg], phase: stopping),
        Case(setup: .stopping, event: .stop(now: 20), actions: [], phase: stopping),

        Case(setup: .waiting, event: .start(now: 200), actions: [], phase: .waitingToRestart(until: 1_100)),
        Case(setup: .waiting, event: .progress(bytes: 10, now: 200), actions: [], phase: .waitingToRestart(until: 1_100)),
        Case(setup: .waiting, event: .ffmpegExited(now: 200), actions: [], phase: .waitingToRestart(until: 1_100)),
        Case(setup: .waiting, event: .launchFailed, actions: [.finish(.ffmpegMissing)], phase: .finished(.ffmpegMissing)),
        Case(setup: .waiting, event: .tick(now: 1_099), actions: [], phase: .waitingToRestart(until: 1_100)),
        Case(setup: .waiting, event: .tick(now: 1_100), actions: [.launchFFmpeg], phase: streaming),
        Case(setup: .waiting, event: .stop(now: 200), actions: [.finish(.stopped)], phase: .finished(.stopped)),
    ]

    @Test(arguments: cases)
    func event(_ c: Case) {
        var state = c.setup.state
        #expect(state.handle(c.event) == c.actions)
        #expect(state.phase == c.phase)
    }

    @Test(arguments: [
        State.Event.start(now: 0), .progress(bytes: 1, now: 0), .ffmpegExited(now: 0), .launchFailed, .tick(now: 200_000),
        .stop(now: 0),
    ])
    func aFinishedRunIgnoresEverything(_ event: State.Event) {
        var state = Setup.finished.state
        #expect(state.handle(event) == [])
        #expect(state.phase == .finished(.stopped))
    }

    @Test func theNextDeadlineIsTheEarliestThingTheClockCanChange() {
        #expect(Setup.idle.state.nextDeadline == nil)
        #expect(Setup.streaming.state.nextDeadline == 30_000, "the stall comes before the lesson's end")
        #expect(Setup.stalling.state.nextDeadline == 35_000, "the kill of the stalled ffmpeg")
        #expect(Setup.stopping.state.nextDeadline == 5_010)
        #expect(Setup.waiting.state.nextDeadline == 1_100)
        #expect(Setup.finished.state.nextDeadline == nil)
        var state = Setup.streaming.state
        _ = state.handle(.progress(bytes: 500, now: 80_000))
        #expect(state.nextDeadline == 100_000, "new bytes move the stall past the lesson's end")
        _ = state.handle(.progress(bytes: 500, now: 90_000))
        #expect(state.nextDeadline == 100_000, "the same bytes again are no progress")
        var killed = Setup.stopping.state
        _ = killed.handle(.tick(now: 5_010))
        #expect(killed.nextDeadline == nil, "killed once: only ffmpeg's exit can end it now")
        #expect(killed.handle(.tick(now: 9_000)) == [], "and it is not killed again")
    }

    @Test func aStalledRunIsRestartedAndCounted() {
        var state = Setup.stalling.state
        #expect(state.stalls == 1)
        #expect(state.handle(.ffmpegExited(now: 31_000)) == [.scheduleRestart(at: 32_000)])
        #expect(state.handle(.tick(now: 32_000)) == [.launchFFmpeg])
        #expect(state.nextDeadline == 62_000, "a relaunched ffmpeg gets the whole stall time again")
        #expect(state.restarts == 1)
    }

    @Test func theLessonEndingWhileAStalledFFmpegIsKilledEndsTheRunAtItsExit() {
        var state = Setup.stalling.state
        #expect(state.handle(.tick(now: 100_000)) == [.killFFmpeg], "the kill was due first")
        #expect(state.handle(.tick(now: 100_001)) == [], "the lesson's end needs no second request")
        #expect(state.handle(.ffmpegExited(now: 100_002)) == [.finish(.completed)])
    }
}

/// `spotcheck-status.json` is rewritten on change, not on every progress block.
@Suite struct SpotCheckStatusFileTests {
    static func status(state: String = "streaming", frames: Int64 = 0, pid: Int32? = 42) -> SpotCheckLiveStatus {
        SpotCheckLiveStatus(
            state: state, orderID: "o1", teacherName: "王老师", subject: "语文", lessonEnd: 100_000, frames: frames,
            bytes: frames * 100,
            speechRatio: 0, restarts: 0, ffmpegPID: pid)
    }

    @Test func figuresAreWrittenAtMostEveryTenSecondsAndStateChangesAtOnce() throws {
        let directory = try TestProcess.temporaryDirectory("status-file")
        var file = SpotCheckStatusFile(path: directory.appending(path: "spotcheck-status.json").path)
        let logger = Logger(label: "test")
        file.offer(Self.status(), now: 0, logger: logger)
        #expect(file.writes == 1, "the first status is written")
        file.offer(Self.status(frames: 12), now: 500, logger: logger)
        #expect(file.writes == 2, "the first bytes out are written at once")
        // ffmpeg reports twice a second for the next 9.5 s: nothing but figures change.
        for step in Int64(2)...20 { file.offer(Self.status(frames: step * 12), now: step * 500, logger: logger) }
        #expect(file.writes == 2)
        file.offer(Self.status(frames: 252), now: 10_500, logger: logger)
        #expect(file.writes == 3, "figures after ten seconds")
        file.offer(Self.status(frames: 252), now: 20_000, logger: logger)
        #expect(file.writes == 3, "nothing changed: nothing written")
        file.offer(Self.status(state: "restarting", frames: 253, pid: nil), now: 20_100, logger: logger)
        #expect(file.writes == 4, "a restart is written at once")
        let saved = try JSONDecoder().decode(SpotCheckLiveStatus.self, from: Data(contentsOf: URL(filePath: file.path)))
        #expect(saved.state == "restarting" && saved.frames == 253 && saved.ffmpegPID == nil)
    }
}
