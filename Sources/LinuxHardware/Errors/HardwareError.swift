#if canImport(Glibc)
    import Glibc
#endif

/// A failure talking to the machine's hardware libraries (libudev, ALSA, evdev, sysfs).
///
/// Every negative return code of a C call becomes one of these through ``HardwareError/check(_:_:retryingEINTR:)``
/// so that a caller sees what was attempted, on which device, and the system's own explanation.
public struct HardwareError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, so that callers can react (a busy microphone is not a missing one).
    public enum Kind: String, Sendable, Hashable {
        /// The device or PCM does not exist (ENOENT, ENODEV, ENXIO).
        case noSuchDevice = "no_such_device"
        /// Another program holds the device (EBUSY, EAGAIN on open).
        case busy
        /// The device went away while in use (ENODEV/ESTRPIPE during I/O).
        case removed
        /// Not allowed (EACCES, EPERM).
        case permissionDenied = "permission_denied"
        /// The library refused the parameters we asked for.
        case unsupported
        /// Anything else.
        case failed
    }

    public var kind: Kind
    /// The operation, such as `snd_pcm_open(hw:1,0)`.
    public var operation: String
    /// The positive errno value, or 0 when the failure was not an errno.
    public var code: Int32
    /// The system's explanation (`strerror` or `snd_strerror`).
    public var reason: String

    public init(kind: Kind, operation: String, code: Int32 = 0, reason: String) {
        self.kind = kind
        self.operation = operation
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(operation): \(reason)" }

    /// Classifies a positive errno value.
    public static func kind(forErrno code: Int32) -> Kind {
        switch code {
        case ENOENT, ENXIO: return .noSuchDevice
        case ENODEV, ESTRPIPE: return .removed
        case EBUSY, EAGAIN: return .busy
        case EACCES, EPERM: return .permissionDenied
        case EINVAL, EOPNOTSUPP: return .unsupported
        default: return .failed
        }
    }

    /// How a C function reports failure.
    public enum Convention: Sendable {
        /// A negative result is `-errno` (ALSA, libudev).
        case negativeErrno
        /// A result of -1 means failure and the reason is in `errno` (POSIX system calls).
        case minusOneSetsErrno
    }

    /// The one helper every C call goes through: returns `result` when it is not negative, retries the
    /// call while it fails with `EINTR`, and throws a typed error otherwise.
    @discardableResult
    public static func check<T: BinaryInteger>(
        _ operation: @autoclosure () -> String, convention: Convention = .negativeErrno,
        explain: (Int32) -> String = systemReason, _ call: () -> T
    ) throws(HardwareError) -> T {
        while true {
            errno = 0
            let result = call()
            if result >= 0 { return result }
            let code: Int32
            switch convention {
            // Wrapping negation: a C library returning Int.min must not trap the daemon.
            case .negativeErrno: code = Int32(truncatingIfNeeded: 0 &- Int(truncatingIfNeeded: result))
            case .minusOneSetsErrno: code = errno
            }
            if code == EINTR { continue }
            throw HardwareError(kind: kind(forErrno: code), operation: operation(), code: code, reason: explain(code))
        }
    }

    /// `strerror` as a Swift string.
    public static func systemReason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
