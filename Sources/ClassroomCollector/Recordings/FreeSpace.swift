import Foundation

/// The size and the space available to the collector on a file system.
public struct FileSystemSpace: Sendable, Hashable {
    public var total: Int64
    public var available: Int64

    public init(total: Int64, available: Int64) {
        self.total = total
        self.available = available
    }
}

/// Tells how full the file system holding a path is (the recordings' janitor asks before and after
/// each deletion).
public protocol FreeSpaceProbe: Sendable {
    /// The space of the file system that holds `path`; throws when `path` cannot be examined.
    func space(of path: String) throws -> FileSystemSpace
}

/// The real file system, through statvfs(3): `f_blocks` and `f_bavail` (what an unprivileged
/// process may still write) times `f_frsize`.
public struct StatvfsFreeSpace: FreeSpaceProbe {
    public init() {}

    public func space(of path: String) throws -> FileSystemSpace {
        var s = statvfs()
        while statvfs(path, &s) != 0 {
            guard errno == EINTR else {
                throw StoreError(code: "statvfs", message: "statvfs \(path): \(String(cString: strerror(errno)))")
            }
        }
        let unit = Int64(s.f_frsize)
        return FileSystemSpace(total: Int64(s.f_blocks) * unit, available: Int64(s.f_bavail) * unit)
    }
}
