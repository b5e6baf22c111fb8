import Glibc

extension Outbox {
    /// Bytes kept in `outbox.db.reserve` so that a full disk can still record acknowledgements.
    static let reserveBytes = 1 << 20

    static func reservePath(_ path: String) -> String { path + ".reserve" }

    /// Creates the reserve file when it is missing; on failure (disk still full) tries again later.
    static func ensureReserve(path: String) {
        let reserve = reservePath(path)
        guard access(reserve, F_OK) != 0 else { return }
        let fd = open(reserve + ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let chunk = [UInt8](repeating: 0, count: 65_536)
        var written = 0
        while written < reserveBytes {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            written += n
        }
        let complete = written >= reserveBytes && fsync(fd) == 0
        close(fd)
        if complete {
            rename(reserve + ".tmp", reserve)
        } else {
            unlink(reserve + ".tmp")
        }
    }
}
