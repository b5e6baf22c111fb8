import ClassroomCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads touch events from evdev nodes (`/dev/input/eventN`) and counts touches; closes them in `deinit`.
///
/// Only event type and code are inspected; coordinates are read past and never stored.
public final class EvdevTouchReader {
    private struct Source {
        var path: String
        var descriptor: Int32
        var counter = TouchCounter()
        var open = true
    }

    private var sources: [Source] = []
    /// Devices that went away while being read (their counts so far are kept).
    public private(set) var removed: [String] = []

    /// Opens every node read-only and non-blocking; fails with the first node that cannot be opened.
    public init(devnodes: [String]) throws(HardwareError) {
        for path in devnodes {
            let descriptor = try HardwareError.check("cannot open touch device \(path)", convention: .minusOneSetsErrno) {
                Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            }
            sources.append(Source(path: path, descriptor: descriptor))
        }
    }

    deinit {
        for source in sources where source.open { close(source.descriptor) }
    }

    /// Reads events until `deadline` on `clock` (waiting in poll, not spinning); returns touches per device.
    public func count(until deadline: ContinuousClock.Instant, clock: ContinuousClock = ContinuousClock()) throws(HardwareError)
        -> [String: Int]
    {
        while clock.now < deadline, sources.contains(where: \.open) {
            let remaining = Int32(min(1000, max(1, ((deadline - clock.now) / .milliseconds(1)).rounded(.up))))
            var descriptors = sources.map { pollfd(fd: $0.open ? $0.descriptor : -1, events: Int16(POLLIN), revents: 0) }
            let ready = try HardwareError.check("poll(touch devices)", convention: .minusOneSetsErrno) {
                poll(&descriptors, nfds_t(descriptors.count), remaining)
            }
            guard ready > 0 else { continue }
            for index in descriptors.indices where descriptors[index].revents != 0 {
                try drain(index)
            }
        }
        var counts: [String: Int] = [:]
        for index in sources.indices { counts[sources[index].path] = sources[index].counter.takeCount() }
        return counts
    }

    /// Size of `struct input_event`: a `struct timeval` then type (u16), code (u16), value (s32).
    static let eventSize = MemoryLayout<timeval>.size + 8

    private func drain(_ index: Int) throws(HardwareError) {
        var buffer = [UInt8](repeating: 0, count: Self.eventSize * 64)
        while true {
            let descriptor = sources[index].descriptor
            let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN { return }
                if code == ENODEV {
                    close(descriptor)
                    sources[index].open = false
                    removed.append(sources[index].path)
                    return
                }
                throw HardwareError(
                    kind: HardwareError.kind(forErrno: code), operation: "reading \(sources[index].path)", code: code,
                    reason: HardwareError.systemReason(code))
            }
            if got == 0 {  // end of the stream: the device is gone
                close(descriptor)
                sources[index].open = false
                removed.append(sources[index].path)
                return
            }
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset + Self.eventSize <= got {
                    let base = offset + Self.eventSize - 8
                    let type = bytes.loadUnaligned(fromByteOffset: base, as: UInt16.self)
                    let code = bytes.loadUnaligned(fromByteOffset: base + 2, as: UInt16.self)
                    let value = bytes.loadUnaligned(fromByteOffset: base + 4, as: Int32.self)
                    sources[index].counter.record(type: type, code: code, value: value)
                    offset += Self.eventSize
                }
            }
        }
    }
}
