import Synchronization

/// The per-device state of ``AgentLimits`` in this process: a ``TokenBucket`` per device and the
/// bytes each device uploaded on the current UTC day.
///
/// - Important: keyed by device id, known only after the credential was checked, so a request
///   with a bad credential creates no state and one device's use never counts against another's.
final class DeviceFairShare: Sendable {
    let limits: AgentLimits
    private struct State {
        var buckets: [String: TokenBucket] = [:]
        var uploads: [String: (day: Int64, bytes: Int64)] = [:]
    }
    private let state = Mutex(State())
    static let dayMillis: Int64 = 86_400_000

    init(limits: AgentLimits) { self.limits = limits }

    /// One request of `deviceID` at `now`; a 429 with `Retry-After` when its bucket is empty.
    func admit(deviceID: String, now: Int64) throws {
        let decision = state.withLock { s in
            var bucket =
                s.buckets[deviceID]
                ?? TokenBucket(ratePerSecond: limits.requestsPerSecond, burst: limits.requestBurst, now: now)
            let decision = bucket.take(now: now)
            s.buckets[deviceID] = bucket
            return decision
        }
        if case .refused(let seconds) = decision {
            throw APIError.tooManyRequests(
                "device credential over its request rate (\(limits.requestsPerSecond)/s, burst \(Int(limits.requestBurst)))",
                retryAfterSeconds: seconds)
        }
    }

    /// Counts an upload of `bytes` against the device's quota of the UTC day of `now`; a 429 with
    /// `Retry-After` (until the next UTC day) and nothing counted when it would go over.
    func chargeUpload(deviceID: String, bytes: Int, now: Int64) throws {
        let day = now >= 0 ? now / Self.dayMillis : -1
        let size = Int64(bytes)
        let used: Int64? = state.withLock { s in
            let before = s.uploads[deviceID].flatMap { $0.day == day ? $0.bytes : nil } ?? 0
            guard size <= limits.uploadBytesPerDay - before else { return before }
            s.uploads[deviceID] = (day, before + size)
            return nil
        }
        if let used {
            let nextDay = (day + 1) * Self.dayMillis
            let seconds = max(1, (nextDay - now + 999) / 1000)
            throw APIError.tooManyRequests(
                "device over its daily upload quota: \(used) of \(limits.uploadBytesPerDay) bytes used today (UTC); "
                    + "this batch is \(bytes) bytes; try again after midnight UTC",
                retryAfterSeconds: seconds)
        }
    }
}
