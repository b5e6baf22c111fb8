import ClassroomCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads and writes a registry folder on disk (the I/O around the pure ``RegistryLoader``).
enum RegistryFolder {
    /// Loads the four registry files of `directory` and the optional ones present; missing files are
    /// reported by the loader.
    static func read(_ directory: String, skipping: Set<String> = []) throws -> [String: [UInt8]] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(directory): no such directory")
        }
        var files: [String: [UInt8]] = [:]
        for name in RegistryLoader.fileNames + RegistryLoader.optionalFileNames where !skipping.contains(name) {
            let path = (directory as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path) { files[name] = [UInt8](data) }
        }
        return files
    }

    /// Loads and validates; problems are rethrown with the folder in each file name. The timetable is
    /// read from disk one window at a time (a province's is hundreds of megabytes), the rest whole.
    static func load(_ directory: String) throws -> LoadedRegistry {
        let files = try read(directory, skipping: [RegistryLoader.timetableFile])
        let timetable = FileByteSource(path: (directory as NSString).appendingPathComponent(RegistryLoader.timetableFile))
        do {
            return try RegistryLoader.load(files, timetable: timetable)
        } catch {
            throw RegistryProblems(
                problems: error.problems.map { qualified($0, directory) },
                warnings: error.warnings.map { qualified($0, directory) })
        }
    }

    static func qualified(_ p: RegistryProblem, _ directory: String) -> RegistryProblem {
        var p = p
        p.file = (directory as NSString).appendingPathComponent(p.file)
        return p
    }

    static func write(_ files: [String: [UInt8]], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            // Written straight from the buffer: a province-scale timetable is hundreds of megabytes.
            let written = bytes.withUnsafeBytes { raw -> Bool in
                guard let file = fopen(path, "wb") else { return false }
                let n = raw.isEmpty ? 0 : fwrite(raw.baseAddress, 1, raw.count, file)
                return fclose(file) == 0 && n == raw.count
            }
            guard written else { throw CLIError("\(path): cannot write: \(String(cString: strerror(errno)))") }
        }
    }
}

/// A file read through its descriptor, a window at a time (``ByteSource``).
final class FileByteSource: ByteSource {
    private let fd: Int32
    let path: String

    /// Nil when the file cannot be opened (the loader then reports it missing, as for a file that
    /// `FileManager.contents(atPath:)` cannot read).
    init?(path: String) {
        fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        self.path = path
    }

    deinit { Glibc.close(fd) }

    var byteCount: Int? {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int(info.st_size) : nil
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw CLIError("\(path): \(String(cString: strerror(errno)))") }
        }
    }

    func rewind() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw CLIError("\(path): \(String(cString: strerror(errno)))") }
    }
}

/// An error the CLI prints as one line and exits 1 on.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
