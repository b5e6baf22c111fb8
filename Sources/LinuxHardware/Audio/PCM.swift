import CALSA

#if canImport(Glibc)
    import Glibc
#endif

/// An open ALSA PCM (`snd_pcm_t`), 16-bit signed little-endian, interleaved; closed in `deinit`.
///
/// Opened non-blocking so that a busy device fails at once with ``HardwareError/Kind/busy`` instead of
/// waiting for its owner, then switched to blocking I/O.
public final class PCM {
    /// Capture (a microphone) or playback (a speaker).
    public enum Direction: Sendable {
        case capture, playback

        var stream: snd_pcm_stream_t { self == .capture ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK }
    }

    let handle: OpaquePointer
    /// The ALSA name it was opened with, such as `hw:1,0`, `default` or `plughw:CARD=C920`.
    public let name: String
    public let direction: Direction
    public let sampleRate: Int
    public let channels: Int

    /// Opens `name` and sets S16_LE, `channels`, `sampleRate`, letting ALSA resample where the
    /// hardware cannot (`soft_resample`).
    public init(
        name: String, direction: Direction, sampleRate: Int = 16_000, channels: Int = 1, latencyMicroseconds: Int = 100_000
    ) throws(HardwareError) {
        ALSA.silenceLibraryErrors()
        var pcm: OpaquePointer?
        try ALSA.check("cannot open PCM '\(name)'") { snd_pcm_open(&pcm, name, direction.stream, SND_PCM_NONBLOCK) }
        guard let pcm else {
            throw HardwareError(kind: .failed, operation: "cannot open PCM '\(name)'", reason: "ALSA returned no handle")
        }
        do {
            try ALSA.check("cannot switch PCM '\(name)' to blocking I/O") { snd_pcm_nonblock(pcm, 0) }
            try ALSA.check("PCM '\(name)' refused 16-bit \(channels)-channel \(sampleRate) Hz") {
                snd_pcm_set_params(
                    pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(channels), UInt32(sampleRate), 1,
                    UInt32(latencyMicroseconds))
            }
        } catch {
            snd_pcm_close(pcm)
            throw error
        }
        self.handle = pcm
        self.name = name
        self.direction = direction
        self.sampleRate = sampleRate
        self.channels = channels
    }

    deinit { snd_pcm_close(handle) }

    /// Fills `buffer` completely with captured frames (blocking). Recovers from overruns; throws
    /// ``HardwareError/Kind/removed`` when the device goes away mid-capture.
    public func read(into buffer: inout [Int16]) throws(HardwareError) {
        let frames = buffer.count / channels
        var done = 0
        while done < frames {
            let got = buffer.withUnsafeMutableBufferPointer { pointer in
                snd_pcm_readi(handle, pointer.baseAddress! + done * channels, snd_pcm_uframes_t(frames - done))
            }
            if got >= 0 {
                if got == 0 { try waitOrFail() }
                done += min(got, frames - done)  // never past the buffer, whatever the driver says
                continue
            }
            try recover(Int32(clamping: got), operation: "reading from PCM '\(name)'")
        }
    }

    /// Plays all of `samples` (blocking). Recovers from underruns.
    public func write(_ samples: [Int16]) throws(HardwareError) {
        let frames = samples.count / channels
        var done = 0
        while done < frames {
            let wrote = samples.withUnsafeBufferPointer { pointer in
                snd_pcm_writei(handle, pointer.baseAddress! + done * channels, snd_pcm_uframes_t(frames - done))
            }
            if wrote >= 0 {
                if wrote == 0 { try waitOrFail() }
                done += min(wrote, frames - done)
                continue
            }
            try recover(Int32(clamping: wrote), operation: "writing to PCM '\(name)'")
        }
    }

    /// Waits until everything written has been played.
    public func drain() throws(HardwareError) {
        try ALSA.check("draining PCM '\(name)'") { snd_pcm_drain(handle) }
    }

    private func waitOrFail() throws(HardwareError) {
        try ALSA.check("waiting on PCM '\(name)'") { snd_pcm_wait(handle, 1000) }
    }

    /// Overruns (EPIPE) and suspends (ESTRPIPE) are recovered; a vanished device (ENODEV) and anything
    /// else become typed errors.
    private func recover(_ code: Int32, operation: String) throws(HardwareError) {
        if code == -EINTR { return }
        if code == -ENODEV || code == -EBADFD {
            throw HardwareError(kind: .removed, operation: operation, code: -code, reason: "the device was removed")
        }
        try ALSA.check(operation) { snd_pcm_recover(handle, code, 1) }
    }
}

/// ALSA helpers: error text and the library's own error output.
public enum ALSA {
    /// Routes every negative ALSA return code through ``HardwareError/check(_:convention:explain:_:)``
    /// with ALSA's own explanation (`snd_strerror`).
    @discardableResult
    static func check<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ call: () -> T) throws(HardwareError) -> T {
        try HardwareError.check(operation(), explain: reason, call)
    }

    /// `snd_strerror` for a positive errno value.
    public static func reason(_ code: Int32) -> String {
        guard let text = snd_strerror(-code) else { return "ALSA error \(code)" }
        return String(cString: text)
    }

    /// The name to open so that ALSA converts rate, channels and format when the hardware cannot
    /// (`hw:1,0` → `plughw:1,0`); other names (`default`, `plughw:…`, user-defined PCMs) are kept.
    public static func converting(_ name: String) -> String {
        name.hasPrefix("hw:") ? "plug" + name : name
    }

    /// Silences ALSA's variadic stderr handler (shim.h); failures still arrive as return codes.
    public static func silenceLibraryErrors() {
        _ = classroomfleet_alsa_silence_errors()
    }
}

extension HardwareError {
    /// A plain-language message for a failure on the ALSA PCM `device`, naming it.
    public func pcmMessage(_ device: String) -> String {
        switch kind {
        case .noSuchDevice:
            "no such ALSA PCM '\(device)', or a file it reads is missing (\(reason)); list PCMs with 'classroomd inventory' or 'arecord -L'"
        case .busy: "ALSA PCM '\(device)' is busy: another program is using it (\(reason))"
        case .removed: "ALSA PCM '\(device)' was removed while in use (\(reason))"
        case .permissionDenied:
            "no permission to open ALSA PCM '\(device)' (\(reason)): add the service user to the 'audio' group"
        case .unsupported, .failed: "ALSA PCM '\(device)': \(description)"
        }
    }
}
