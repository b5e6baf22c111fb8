import ClassroomWire
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

extension SpotCheckRunner {
    /// One run's bookkeeping, owned by ``run(_:)``.
    struct Stream {
        let order: SpotCheckOrderPayload
        var state: SpotCheckRunState
        var capture: (any MicrophoneCapture)?
        var statusFile: SpotCheckStatusFile
        var child: ChildProcess?
        /// Number of the current (or last) ffmpeg run, from 1.
        var runNumber = 0
        /// The current run's last progress block.
        var progress = FFmpegProgress()
        /// Figures of the runs that ended.
        var frames: Int64 = 0
        var bytes: Int64 = 0
        var exits: [String] = []
        var lastError: String?

        var logPath: String { "\(statusFile.directory)/ffmpeg-\(order.orderID)-\(runNumber).log" }
    }

    /// Performs `actions` (and what a failed launch leads to); returns the outcome once the run is over.
    func perform(
        _ actions: [SpotCheckRunState.Action], _ stream: inout Stream, _ audio: FFmpegAudioInput
    ) -> SpotCheckRunState.Outcome? {
        var queue = actions
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .launchFFmpeg:
                stream.runNumber += 1
                do {
                    let child = try ChildProcess.spawn(
                        configuration.ffmpeg, configuration.ffmpegArguments(ingestURL: stream.order.ingestURL),
                        stderrPath: stream.logPath)
                    logger.info("ffmpeg started", metadata: ["pid": "\(child.pid)", "run": "\(stream.runNumber)"])
                    stream.child = child
                    stream.progress = FFmpegProgress()
                    audio.attach(child.inputFD)
                    watch(child, run: stream.runNumber)
                } catch {
                    stream.exits.append("spawn failed: \(error.code)")
                    stream.lastError = error.description
                    queue += stream.state.handle(.launchFailed)
                }
            case .terminateFFmpeg:
                // SIGINT, then end of the audio input so that ffmpeg's pipe reader returns and it exits.
                audio.detach()
                stream.child?.send(SIGINT)
                stream.child?.closeInput()
            case .killFFmpeg:
                logger.warning("ffmpeg did not end when asked; killing it", metadata: ["run": "\(stream.runNumber)"])
                stream.child?.send(SIGKILL)
            case .scheduleRestart(let at):
                logger.warning("ffmpeg ended inside the lesson; restarting", metadata: ["at": "\(at)"])
            case .finish(let outcome):
                return outcome
            }
        }
        return nil
    }

    /// Turns what happened into the state's events and returns the actions they call for.
    func react(
        to happening: Happening, _ stream: inout Stream, _ audio: FFmpegAudioInput
    ) -> [SpotCheckRunState.Action] {
        let now = clock.nowMillis()
        switch happening {
        case .progress(let progress, let run):
            guard run == stream.runNumber, stream.child != nil else { return [] }
            stream.progress = progress
            return stream.state.handle(.progress(bytes: progress.totalSize, now: now))
        case .exited(let how, let progress, let run):
            guard run == stream.runNumber, let child = stream.child else { return [] }
            audio.detach()
            child.closeInput()
            stream.child = nil
            stream.exits.append(how)
            // ffmpeg's figures are another program's output: saturate, never trap.
            stream.frames = stream.frames.saturatingAdd(progress.frame)
            stream.bytes = stream.bytes.saturatingAdd(progress.totalSize)
            stream.progress = FFmpegProgress()
            if let line = Self.lastLine(ofFile: stream.logPath) { stream.lastError = line }
            logger.notice("ffmpeg ended", metadata: ["how": "\(how)", "run": "\(run)"])
            return stream.state.handle(.progress(bytes: progress.totalSize, now: now))
                + stream.state.handle(.ffmpegExited(now: now))
        case .stop:
            return stream.state.handle(.stop(now: now))
        case .deadline:
            return stream.state.handle(.tick(now: now))
        }
    }

    /// Shows the figures now: in memory for the status page at once, in the status file on change.
    func publish(_ stream: inout Stream, now: Int64) {
        let order = stream.order
        var live = SpotCheckLiveStatus(
            state: stream.state.phase == .streaming(stopping: false) ? "streaming" : "restarting", orderID: order.orderID,
            teacherName: order.teacherName, subject: order.subject, lessonEnd: order.lessonEnd,
            frames: stream.frames.saturatingAdd(stream.progress.frame),
            bytes: stream.bytes.saturatingAdd(stream.progress.totalSize),
            speechRatio: stream.capture?.report.totals.speechRatio ?? 0, restarts: stream.state.restarts,
            ffmpegPID: stream.child?.pid)
        live.purpose = order.purpose?.rawValue
        shared.withLock { $0.live = live }
        stream.statusFile.offer(live, now: now, logger: logger)
    }

    /// The evidence of the finished run; the status file says it is over.
    func finish(
        _ order: SpotCheckOrderPayload, _ stream: inout Stream, outcome: SpotCheckRunState.Outcome, startedAt: Int64,
        notice: SpotCheckNotice
    ) -> SpotCheckRunReport {
        let audio = stream.capture?.report ?? StreamAudioReport()
        let evidence = SpotCheckRunReport(
            orderID: order.orderID, startedAt: startedAt, endedAt: clock.nowMillis(), outcome: outcome.rawValue,
            frames: stream.frames, bytes: stream.bytes, speechRatio: audio.totals.speechRatio,
            audioFrames: Int64(audio.totals.frames), camera: configuration.cameraArguments.joined(separator: " "),
            microphone: configuration.microphone, ffmpegExits: stream.exits, restarts: stream.state.restarts,
            error: outcome == .completed || outcome == .stopped ? audio.error : (stream.lastError ?? audio.error),
            stopReason: outcome == .stopped ? shared.withLock { $0.stopReason } : nil)
        var final =
            liveStatus
            ?? SpotCheckLiveStatus(
                state: "finished", orderID: order.orderID, teacherName: order.teacherName, subject: order.subject,
                lessonEnd: order.lessonEnd, frames: stream.frames, bytes: stream.bytes,
                speechRatio: audio.totals.speechRatio, restarts: stream.state.restarts)
        final.state = "finished"
        final.ffmpegPID = nil
        final.outcome = outcome.rawValue
        final.purpose = order.purpose?.rawValue
        stream.statusFile.write(final, now: clock.nowMillis(), logger: logger)
        return evidence
    }

    /// Reads the child's `-progress` lines as they come, then reaps it, on a thread of its own; each
    /// block and the exit are happenings of the run.
    func watch(_ child: ChildProcess, run: Int) {
        DedicatedThread.run(name: "cf-ffmpeg") { [happen] in
            var progress = FFmpegProgress()
            readLines(child.outputFD) { line in
                if progress.apply(line: line) { happen.yield(.progress(progress, run: run)) }
            }
            let how = child.wait()
            happen.yield(.exited(how, progress, run: run))
        }
    }

    /// The last non-empty line of a small text file (ffmpeg's error log).
    static func lastLine(ofFile path: String) -> String? {
        guard let data = try? Data(contentsOf: URL(filePath: path)) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init)
    }
}
