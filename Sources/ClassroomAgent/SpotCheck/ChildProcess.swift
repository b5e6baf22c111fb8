import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawnp`: its stdin and stdout are pipes, stderr goes to a file.
final class ChildProcess: @unchecked Sendable {
    /// posix_spawnp failed, such as when the executable is not installed.
    struct SpawnError: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "cannot start '\(executable)': \(String(cString: strerror(code)))" }
    }

    let pid: pid_t
    /// Write end of the child's stdin; closed by ``closeInput()``.
    let inputFD: Int32
    /// Read end of the child's stdout.
    let outputFD: Int32

    private init(pid: pid_t, inputFD: Int32, outputFD: Int32) {
        self.pid = pid
        self.inputFD = inputFD
        self.outputFD = outputFD
    }

    /// Starts `executable` (searched in PATH) with `arguments`, stderr written to `stderrPath`.
    static func spawn(_ executable: String, _ arguments: [String], stderrPath: String) throws(SpawnError) -> ChildProcess {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        guard makePipe(&input) == 0 else { throw SpawnError(executable: executable, code: errno) }
        guard makePipe(&output) == 0 else {
            close(input[0])
            close(input[1])
            throw SpawnError(executable: executable, code: errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // A clean signal state: the spawning thread's mask (the Swift runtime may block signals) and
        // our ignored SIGPIPE must not leak into the child, or SIGINT would never reach ffmpeg.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, executable, &actions, &attributes, argv, environ)
        close(input[0])
        close(output[1])
        guard code == 0 else {
            close(input[1])
            close(output[0])
            throw SpawnError(executable: executable, code: code)
        }
        return ChildProcess(pid: pid, inputFD: input[1], outputFD: output[0])
    }

    /// `pipe` with both ends close-on-exec (the child gets its own copies through dup2).
    private static func makePipe(_ fds: inout [Int32]) -> Int32 {
        guard pipe(&fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the child to end (blocking) and describes how: `exit N` or `signal N`.
    func wait() -> String {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return "unknown" }
        }
        close(outputFD)
        let low = status & 0x7f
        return low == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(low)"
    }

    private let inputClosed = Mutex(false)

    /// Closes the write end of stdin (only the first call closes it).
    func closeInput() {
        let first = inputClosed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        if first { close(inputFD) }
    }
}

/// Reads `fd` to its end, calling `line` for each line.
func readLines(_ fd: Int32, _ line: (String) -> Void) {
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        for byte in buffer[0..<count] {
            if byte == UInt8(ascii: "\n") {
                line(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
            }
        }
    }
    if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
}
