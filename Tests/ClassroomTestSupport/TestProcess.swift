import Foundation

/// Runs the package's real executables (and system tools) from tests.
public enum TestProcess {
    /// The result of a finished process.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The folder holding the built products: `CLASSROOMFLEET_BIN` when set, else the folder of the
    /// running test bundle (SwiftPM puts executables beside it).
    public static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["CLASSROOMFLEET_BIN"], !dir.isEmpty {
            return URL(filePath: dir, directoryHint: .isDirectory)
        }
        let exe = URL(
            filePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return exe.deletingLastPathComponent()
    }

    /// The path of a built product such as `classroomctl`; fails the test clearly when it is missing.
    public static func product(_ name: String) throws -> URL {
        let url = binDirectory.appending(path: name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestSupportError("\(url.path) is missing: run 'swift build' before 'swift test' (scripts/test.sh does)")
        }
        return url
    }

    /// Runs blocking work (a child process waited for, blocking sockets) on a thread of its own and
    /// awaits it, so the test does not hold one of the cooperative pool's threads — on 2 cores there
    /// are 2, and a test blocking both for a minute stalls every other test's timers and deadlines.
    public static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Runs `executable` to completion, feeding `stdin`, with a time limit.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
        currentDirectory: URL? = nil, timeout: Duration = .seconds(120)
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw TestSupportError(
                    "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
            }
            usleep(10_000)
        }
        while !reader.isFinished { usleep(1_000) }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder, removed by the caller with `FileManager.removeItem`.
    public static func temporaryDirectory(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "classroomfleet-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A test environment problem (a missing tool or product), reported as a test failure.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
