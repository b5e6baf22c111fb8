import Foundation
import Logging
import ServiceLifecycle

/// Deletes recordings that are past their retention period, then, while the recordings' file
/// system has less free space than ``RecordingConfiguration/minimumFree``, the oldest ones — each
/// deletion with its reason in the row and an audit entry (`recording.delete`).
public struct RecordingJanitor: Sendable {
    let store: any CollectorStore
    let configuration: RecordingConfiguration
    let space: any FreeSpaceProbe
    let logger: Logger

    public init(store: any CollectorStore, configuration: RecordingConfiguration, space: any FreeSpaceProbe, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.space = space
        self.logger = logger
    }

    /// One pass at `now`; answers the recordings deleted, in order.
    @discardableResult
    public func sweep(now: Int64) async throws -> [RecordingRecord] {
        var deleted: [RecordingRecord] = []
        let cutoff = now - Int64(configuration.retentionDays) * 86_400_000
        let candidates = try await store.recordings(state: .ready) + store.recordings(state: .failed)
        for recording in candidates where recording.createdAt < cutoff {
            let detail = "older than \(configuration.retentionDays) days"
            if try await delete(recording, reason: .retention, detail: detail, at: now) { deleted.append(recording) }
        }
        try FileManager.default.createDirectory(atPath: configuration.directory, withIntermediateDirectories: true)
        var oldest = try await store.recordings(state: .ready)[...]
        var now = now
        while let current = try? space.space(of: configuration.directory), !configuration.minimumFree.isSatisfied(by: current) {
            guard let recording = oldest.popFirst() else {
                logger.warning(
                    "the recordings' file system is below its minimum free space and no recording is left to delete",
                    metadata: ["available": "\(current.available)", "minimum": "\(configuration.minimumFree)"])
                break
            }
            let detail = "free space \(current.available) of \(current.total) bytes, below \(configuration.minimumFree)"
            if try await delete(recording, reason: .diskPressure, detail: detail, at: now) { deleted.append(recording) }
            now += 1
        }
        return deleted
    }

    func delete(_ recording: RecordingRecord, reason: RecordingDeleteReason, detail: String, at: Int64) async throws -> Bool {
        for path in [recording.path, recording.sourcePath].compactMap({ $0 }) where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
        let audit = AuditEntry(
            at: at, actor: "collector", action: "recording.delete", target: "recording:\(recording.id)",
            schoolID: recording.schoolID,
            detail: "\(reason.rawValue): \(detail); order \(recording.orderID), \(recording.bytes) bytes")
        let done = try await store.deleteRecording(id: recording.id, reason: reason, at: at, audit: audit)
        if done {
            logger.notice(
                "recording deleted",
                metadata: ["recording": "\(recording.id)", "order": "\(recording.orderID)", "reason": "\(reason.rawValue)"])
        }
        return done
    }
}

/// Runs ``RecordingJanitor/sweep(now:)`` every ``RecordingConfiguration/sweepInterval`` until
/// graceful shutdown; a failed pass is logged and the next one tries again.
public struct RecordingJanitorService: Service {
    let janitor: RecordingJanitor
    let now: @Sendable () -> Int64

    public init(janitor: RecordingJanitor, now: @escaping @Sendable () -> Int64 = collectorNow) {
        self.janitor = janitor
        self.now = now
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: janitor.configuration.sweepInterval)
                if Task.isCancelled { break }
                do {
                    try await janitor.sweep(now: now())
                } catch {
                    janitor.logger.backgroundPassFailed("recording sweep", error: error)
                }
            }
        }
    }
}
