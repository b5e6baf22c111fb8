import Glibc
import LinuxHardware
import Testing

@Suite("HardwareError: one helper for C return codes")
struct HardwareErrorTests {
    @Test("a non-negative result passes through")
    func success() throws {
        #expect(try HardwareError.check("op") { Int32(7) } == 7)
    }

    @Test("-errno (ALSA, libudev) becomes a typed error with the operation and reason")
    func negativeErrno() {
        #expect(
            throws: HardwareError(kind: .busy, operation: "snd_pcm_open(hw:1,0)", code: EBUSY, reason: "Device or resource busy")
        ) {
            try HardwareError.check("snd_pcm_open(hw:1,0)") { -EBUSY }
        }
    }

    @Test("-1 with errno (POSIX) reads errno")
    func minusOne() {
        #expect(throws: HardwareError.self) {
            try HardwareError.check("open(/nonexistent)", convention: .minusOneSetsErrno) { open("/nonexistent/x", O_RDONLY) }
        }
        do {
            try HardwareError.check("open(/nonexistent)", convention: .minusOneSetsErrno) { open("/nonexistent/x", O_RDONLY) }
        } catch {
            #expect(error.kind == .noSuchDevice)
            #expect(error.description == "open(/nonexistent): No such file or directory")
        }
    }

    @Test("EINTR is retried, then the call's real result is returned")
    func retriesEINTR() throws {
        var calls = 0
        let result = try HardwareError.check("read") { () -> Int in
            calls += 1
            return calls < 3 ? -Int(EINTR) : 42
        }
        #expect(result == 42)
        #expect(calls == 3)
    }

    @Test("errno classes: missing, busy, removed, permission")
    func kinds() {
        #expect(HardwareError.kind(forErrno: ENOENT) == .noSuchDevice)
        #expect(HardwareError.kind(forErrno: EBUSY) == .busy)
        #expect(HardwareError.kind(forErrno: ENODEV) == .removed)
        #expect(HardwareError.kind(forErrno: EACCES) == .permissionDenied)
        #expect(HardwareError.kind(forErrno: EIO) == .failed)
    }

    @Test("PCM messages name the device and say what to do")
    func pcmMessages() {
        let busy = HardwareError(kind: .busy, operation: "open", code: EBUSY, reason: "Device or resource busy")
        #expect(busy.pcmMessage("hw:1,0") == "ALSA PCM 'hw:1,0' is busy: another program is using it (Device or resource busy)")
        let removed = HardwareError(kind: .removed, operation: "read", code: ENODEV, reason: "No such device")
        #expect(removed.pcmMessage("hw:1,0").contains("was removed while in use"))
        let denied = HardwareError(kind: .permissionDenied, operation: "open", code: EACCES, reason: "Permission denied")
        #expect(denied.pcmMessage("default").contains("'audio' group"))
    }

    @Test("hw: names go through ALSA's plug layer; other names are kept")
    func convertingNames() {
        #expect(ALSA.converting("hw:1,0") == "plughw:1,0")
        #expect(ALSA.converting("hw:CARD=C920,DEV=0") == "plughw:CARD=C920,DEV=0")
        #expect(ALSA.converting("default") == "default")
        #expect(ALSA.converting("plughw:1,0") == "plughw:1,0")
        #expect(ALSA.converting("speech_en") == "speech_en")
    }
}
