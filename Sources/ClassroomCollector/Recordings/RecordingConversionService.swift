import Foundation
import Logging
import ServiceLifecycle

/// Converts every pending recording (FLV → MP4 in ``RecordingConfiguration/directory``) when it
/// starts and each time ``RecordingQueue`` wakes it, one at a time, until graceful shutdown.
///
/// A conversion that fails (ffmpeg's exit status, a missing file) marks the recording failed with
/// ffmpeg's message and an audit entry, keeps the FLV for inspection, and the service goes on.
public struct RecordingConversionService: Service {
    let store: any CollectorStore
    let converter: any RecordingConverter
    let configuration: RecordingConfiguration
    let queue: RecordingQueue
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(
        store: any CollectorStore, converter: any RecordingConverter, configuration: RecordingConfiguration,
        queue: RecordingQueue, logger: Logger, now: @escaping @Sendable () -> Int64 = collectorNow
    ) {
        self.store = store
        self.converter = converter
        self.configuration = configuration
        self.queue = queue
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        let queue = queue
        await withGracefulShutdownHandler {
            // The first pass is the server's wake once it has migrated the store (CollectorServer).
            for await _ in queue.wakes {
                await convertPending()
            }
        } onGracefulShutdown: {
            queue.finish()
        }
    }

    /// Converts every pending recording, oldest first; answers how many became ready.
    @discardableResult
    public func convertPending() async -> Int {
        let pending: [RecordingRecord]
        do {
            pending = try await store.recordings(state: .pending)
        } catch {
            logger.error("cannot read pending recordings", metadata: ["error": "\(error)"])
            return 0
        }
        var ready = 0
        for recording in pending {
            if await convert(recording) { ready += 1 }
        }
        return ready
    }

    /// Converts one recording; false when it failed (and was marked so).
    func convert(_ recording: RecordingRecord) async -> Bool {
        let directory = URL(filePath: configuration.directory)
        let destination = directory.appending(path: "\(Self.fileStem(recording.orderID))-\(recording.id).mp4")
        let partial = directory.appending(path: destination.lastPathComponent + ".part")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard FileManager.default.fileExists(atPath: recording.sourcePath) else {
                throw RecordingConversionError(message: "the recorded file \(recording.sourcePath) is gone")
            }
            let duration = try await converter.convert(source: recording.sourcePath, destination: partial.path)
            _ = try? FileManager.default.removeItem(at: destination)
            try FileManager.default.moveItem(at: partial, to: destination)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? NSNumber)?.int64Value ?? 0
            guard
                try await store.finishRecording(
                    id: recording.id, path: destination.path, bytes: bytes, durationMillis: duration, at: now())
            else {
                try? FileManager.default.removeItem(at: destination)
                return false
            }
            try? FileManager.default.removeItem(atPath: recording.sourcePath)
            logger.info(
                "recording converted",
                metadata: ["order": "\(recording.orderID)", "recording": "\(recording.id)", "bytes": "\(bytes)"])
            return true
        } catch {
            try? FileManager.default.removeItem(at: partial)
            let reason = "\(error)"
            logger.error(
                "recording conversion failed; the FLV is kept",
                metadata: [
                    "order": "\(recording.orderID)", "recording": "\(recording.id)", "file": "\(recording.sourcePath)",
                    "error": "\(reason)",
                ])
            let t = now()
            let audit = AuditEntry(
                at: t, actor: "collector", action: "recording.fail", target: "recording:\(recording.id)",
                schoolID: recording.schoolID, detail: "order \(recording.orderID): \(reason.prefix(300))")
            do {
                _ = try await store.failRecording(id: recording.id, reason: String(reason.prefix(2000)), at: t, audit: audit)
            } catch {
                logger.error("cannot mark the recording failed", metadata: ["recording": "\(recording.id)", "error": "\(error)"])
            }
            return false
        }
    }

    /// An order id as a file name part: letters, digits, `-` and `_` kept, anything else `_`.
    static func fileStem(_ id: String) -> String {
        String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }
}
