import ClassroomAgent
import Testing

@Suite("Spot-check run state")
struct SpotCheckRunStateTests {
    typealias State = SpotCheckRunState

    @Test func startInsideTheLessonLaunchesFFmpeg() {
        var state = State(lessonEnd: 10_000)
        #expect(state.handle(.start(now: 1_000)) == [.launchFFmpeg])
        #expect(state.phase == .streaming(stopping: false))
        #expect(state.handle(.start(now: 1_100)) == [], "a second start is ignored")
    }

    @Test func startAfterTheLessonFinishesAsLessonOver() {
        var state = State(lessonEnd: 10_000)
        #expect(state.handle(.start(now: 10_000)) == [.finish(.lessonOver)])
        #expect(state.isFinished)
        #expect(state.handle(.tick(now: 11_000)) == [], "a finished run does nothing")
    }

    @Test func progressMarksThePublishOnlyWhenBytesFlow() {
        var state = State(lessonEnd: 10_000)
        _ = state.handle(.start(now: 0))
        #expect(state.handle(.progress(bytes: 0, now: 0)) == [])
        #expect(!state.published)
        #expect(state.handle(.progress(bytes: 4_096, now: 0)) == [])
        #expect(state.published)
    }

    @Test func lessonEndStopsFFmpegThenCompletes() {
        var state = State(lessonEnd: 10_000)
        _ = state.handle(.start(now: 0))
        #expect(state.handle(.tick(now: 9_999)) == [])
        #expect(state.handle(.tick(now: 10_000)) == [.terminateFFmpeg])
        #expect(state.handle(.tick(now: 10_200)) == [], "terminate is asked once")
        #expect(state.handle(.ffmpegExited(now: 10_300)) == [.finish(.completed)])
    }

    @Test func crashInsideTheLessonRestartsWithDoublingBackoff() {
        var state = State(lessonEnd: 100_000, maximumRestarts: 3, backoffMillis: 1_000)
        _ = state.handle(.start(now: 0))
        _ = state.handle(.progress(bytes: 100, now: 0))
        #expect(state.handle(.ffmpegExited(now: 5_000)) == [.scheduleRestart(at: 6_000)])
        #expect(state.restarts == 1)
        #expect(state.handle(.tick(now: 5_500)) == [], "still backing off")
        #expect(state.handle(.tick(now: 6_000)) == [.launchFFmpeg])
        #expect(state.handle(.ffmpegExited(now: 7_000)) == [.scheduleRestart(at: 9_000)])
        #expect(state.backoff(forRestart: 3) == 4_000)
        #expect(state.backoff(forRestart: 50) == 16_000, "the backoff is capped")
    }

    @Test func crashingTooOftenIsAFaultAfterSomethingWasSent() {
        var state = State(lessonEnd: 100_000, maximumRestarts: 1, backoffMillis: 10)
        _ = state.handle(.start(now: 0))
        _ = state.handle(.progress(bytes: 1, now: 0))
        #expect(state.handle(.ffmpegExited(now: 100)) == [.scheduleRestart(at: 110)])
        #expect(state.handle(.tick(now: 110)) == [.launchFFmpeg])
        #expect(state.handle(.ffmpegExited(now: 200)) == [.finish(.fault)])
        #expect(state.restarts == 1)
    }

    @Test func refusedEveryTimeIsNotPublished() {
        var state = State(lessonEnd: 100_000, maximumRestarts: 2, backoffMillis: 10)
        _ = state.handle(.start(now: 0))
        var now: Int64 = 0
        var last: [State.Action] = []
        for _ in 0..<3 {
            now += 50
            last = state.handle(.ffmpegExited(now: now))
            if case .scheduleRestart(let at) = last.first { #expect(state.handle(.tick(now: at)) == [.launchFFmpeg]) }
        }
        #expect(last == [.finish(.notPublished)])
    }

    @Test func stopCommandWhileStreamingEndsAsStopped() {
        var state = State(lessonEnd: 100_000)
        _ = state.handle(.start(now: 0))
        #expect(state.handle(.stop(now: 500)) == [.terminateFFmpeg])
        #expect(state.handle(.stop(now: 600)) == [])
        #expect(state.handle(.ffmpegExited(now: 700)) == [.finish(.stopped)])
    }

    @Test func stopWhileWaitingToRestartFinishesAtOnce() {
        var state = State(lessonEnd: 100_000)
        _ = state.handle(.start(now: 0))
        _ = state.handle(.ffmpegExited(now: 10))
        #expect(state.handle(.stop(now: 20)) == [.finish(.stopped)])
    }

    @Test func lessonEndWhileWaitingToRestart() {
        var state = State(lessonEnd: 1_000, backoffMillis: 5_000)
        _ = state.handle(.start(now: 0))
        _ = state.handle(.progress(bytes: 10, now: 0))
        #expect(state.handle(.ffmpegExited(now: 500)) == [.scheduleRestart(at: 5_500)])
        #expect(state.handle(.tick(now: 1_000)) == [.finish(.completed)])
    }

    @Test func crashAtLessonEndIsNotRestarted() {
        var state = State(lessonEnd: 1_000)
        _ = state.handle(.start(now: 0))
        #expect(state.handle(.ffmpegExited(now: 1_000)) == [.finish(.completed)])
    }

    @Test func ffmpegMissingFinishesAtOnce() {
        var state = State(lessonEnd: 100_000)
        _ = state.handle(.start(now: 0))
        #expect(state.handle(.launchFailed) == [.finish(.ffmpegMissing)])
        #expect(state.handle(.ffmpegExited(now: 10)) == [])
    }

    @Test func stopBeforeStart() {
        var state = State(lessonEnd: 100_000)
        #expect(state.handle(.stop(now: 0)) == [.finish(.stopped)])
    }
}

@Suite("ffmpeg -progress parsing")
struct FFmpegProgressTests {
    @Test func parsesABlock() {
        var progress = FFmpegProgress()
        let lines = [
            "frame=125", "fps=25.00", "bitrate= 812.3kbits/s", "total_size=512000", "out_time_us=5000000",
            "out_time=00:00:05.000000", "speed=1.01x", "progress=continue",
        ]
        let closed = lines.map { progress.apply(line: $0) }
        #expect(closed == [false, false, false, false, false, false, false, true])
        #expect(progress.frame == 125)
        #expect(progress.totalSize == 512_000)
        #expect(progress.outTimeMicroseconds == 5_000_000)
        #expect(progress.speed == 1.01)
        #expect(progress.state == "continue")
    }

    @Test func ignoresGarbageAndNotAvailable() {
        var progress = FFmpegProgress()
        progress.apply(line: "frame=10")
        let garbageClosed = progress.apply(line: "garbage without equals")
        #expect(!garbageClosed)
        progress.apply(line: "frame=abc")
        progress.apply(line: "total_size=N/A")
        progress.apply(line: "speed=N/A")
        progress.apply(line: "=5")
        #expect(progress.frame == 10)
        #expect(progress.totalSize == 0)
        #expect(progress.speed == nil)
        let endClosed = progress.apply(line: "progress=end\r")
        #expect(endClosed)
        #expect(progress.state == "end")
    }
}
