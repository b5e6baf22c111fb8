import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where the stream's microphone samples go: the running ffmpeg's stdin, or nowhere between runs.
///
/// - Important: the pipe is non-blocking and each block is smaller than `PIPE_BUF`, so a write is
///   all-or-nothing and never blocks: an ffmpeg that stops reading loses audio (the stall ends it),
///   it never wedges the capture thread, and sample alignment is kept.
final class FFmpegAudioInput: Sendable {
    private let target = Mutex<Int32>(-1)

    /// Sends the following samples to `fd` (ffmpeg's stdin).
    func attach(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        target.withLock { $0 = fd }
    }

    /// Stops sending; once it returns, `fd` is written no more and may be closed.
    func detach() { target.withLock { $0 = -1 } }

    /// Writes one block of samples to the attached pipe, if any (called on the capture thread).
    func write(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        target.withLock { fd in
            guard fd >= 0 else { return }
            while true {
                let wrote = Glibc.write(fd, bytes.baseAddress!, min(bytes.count, Int(PIPE_BUF)))
                if wrote < 0 && errno == EINTR { continue }
                return
            }
        }
    }
}
