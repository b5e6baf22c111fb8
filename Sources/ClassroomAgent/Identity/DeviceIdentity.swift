import Crypto
import FoundationEssentials
import Glibc

/// What enrollment learned, kept in `STATE_DIRECTORY/enrollment.json` (mode 0600).
public struct Enrollment: Codable, Sendable, Hashable {
    public var deviceID: String
    public var credential: String
    public var schoolID: String
    public var roomID: String
    public var collector: String
    /// Collector clock at enrollment, milliseconds since 1970.
    public var enrolledAt: Int64

    public init(deviceID: String, credential: String, schoolID: String, roomID: String, collector: String, enrolledAt: Int64) {
        self.deviceID = deviceID
        self.credential = credential
        self.schoolID = schoolID
        self.roomID = roomID
        self.collector = collector
        self.enrolledAt = enrolledAt
    }

    enum CodingKeys: String, CodingKey {
        case credential, collector
        case deviceID = "device_id"
        case schoolID = "school_id"
        case roomID = "room_id"
        case enrolledAt = "enrolled_at"
    }
}

/// A problem with the state directory or its files, naming the path.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The device's files in the state directory: its Ed25519 key and its enrollment.
public struct DeviceIdentity: Sendable {
    public let stateDirectory: String
    public var keyPath: String { stateDirectory + "/device.key" }
    public var enrollmentPath: String { stateDirectory + "/enrollment.json" }

    public init(stateDirectory: String) { self.stateDirectory = stateDirectory }

    /// Creates the state directory (mode 0700) when missing; fails naming it when it cannot be written.
    public func prepareDirectory() throws(StateError) {
        if mkdir(stateDirectory, 0o700) != 0 && errno != EEXIST {
            throw StateError("cannot create the state directory \(stateDirectory): \(String(cString: strerror(errno)))")
        }
        guard access(stateDirectory, W_OK) == 0 else {
            throw StateError("the state directory \(stateDirectory) is not writable: \(String(cString: strerror(errno)))")
        }
    }

    /// The device key, created (mode 0600) when missing.
    public func loadOrCreateKey() throws(StateError) -> Curve25519.Signing.PrivateKey {
        if let data = FileManager.default.contents(atPath: keyPath) {
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
                throw StateError("\(keyPath) is not a 32-byte Ed25519 private key")
            }
            return key
        }
        let key = Curve25519.Signing.PrivateKey()
        try writeSecret(Array(key.rawRepresentation), to: keyPath)
        return key
    }

    /// The enrollment, nil when this device is not enrolled.
    public func loadEnrollment() throws(StateError) -> Enrollment? {
        guard let data = FileManager.default.contents(atPath: enrollmentPath) else { return nil }
        do {
            return try JSONDecoder().decode(Enrollment.self, from: data)
        } catch {
            throw StateError("\(enrollmentPath) is damaged (\(error)); enroll again")
        }
    }

    public func save(_ enrollment: Enrollment) throws(StateError) {
        guard let data = try? JSONEncoder().encode(enrollment) else { throw StateError("cannot encode the enrollment") }
        try writeSecret(Array(data), to: enrollmentPath)
    }

    /// Writes `bytes` to a temporary file created with mode 0600, fsyncs it and renames it over `path`.
    private func writeSecret(_ bytes: [UInt8], to path: String) throws(StateError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StateError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let message = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw StateError("cannot write \(temporary): \(message)")
            }
            offset += n
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StateError("cannot store \(path): \(String(cString: strerror(errno)))")
        }
    }
}
