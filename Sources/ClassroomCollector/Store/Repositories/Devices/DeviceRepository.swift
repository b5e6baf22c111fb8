/// Enrollment tokens and the enrolled classroom machines with their credentials.
public protocol DeviceRepository: Sendable {
    /// Stores a new enrollment token and its audit entry.
    func insertEnrollmentToken(_ token: EnrollmentTokenRecord, audit: AuditEntry) async throws
    /// Atomically checks the enrollment token (known, unexpired, uses left, room in its school),
    /// counts one use and stores the device.
    func enroll(tokenHash: String, roomID: String, device: DeviceRecord, now: Int64) async throws -> EnrollOutcome
    /// The device holding this credential hash, revoked or not.
    func device(credentialHash: String) async throws -> DeviceRecord?
    func device(id: String) async throws -> DeviceRecord?
    /// Devices, all or one school's, ordered by id.
    func devices(schoolID: String?) async throws -> [DeviceRecord]
    /// Marks a device revoked; false when there is no such unrevoked device.
    func revokeDevice(id: String, at: Int64, audit: AuditEntry) async throws -> Bool
    /// Replaces the credential hash of an unrevoked device; false when there is none.
    func rotateDeviceCredential(id: String, credentialHash: String, audit: AuditEntry) async throws -> Bool
    /// Records that the device was heard from, and its clock skew when measured.
    func markSeen(deviceID: String, at: Int64, clockSkewMillis: Int64?) async throws
    /// Records the agent version a device's heartbeat reports (it changes when its package is upgraded).
    func setAgentVersion(deviceID: String, version: String) async throws
}

/// What became of an enrollment attempt.
public enum EnrollOutcome: Sendable, Hashable {
    case enrolled(DeviceRecord)
    case unknownToken
    case expired
    case exhausted
    case unknownRoom
    /// The room exists but belongs to another school than the token's.
    case roomOfOtherSchool
}
