import ClassroomTestSupport
import Foundation
import Logging
import Testing

@testable import ClassroomCollector

/// Retention and disk pressure on both stores, with the test's clock and a small file system: the
/// probe reports a fixed capacity minus the bytes of the files in the recordings folder, so each
/// deletion frees what a real one would.
@Suite("Recording retention and disk pressure")
struct RecordingJanitorTests {
    /// A file system of `capacity` bytes holding only the files of `folder`.
    struct FolderSpace: FreeSpaceProbe {
        let capacity: Int64
        func space(of path: String) throws -> FileSystemSpace {
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            let used = try names.reduce(Int64(0)) { sum, name in
                sum + ((try FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? NSNumber)?.int64Value ?? 0)
            }
            return FileSystemSpace(total: capacity, available: capacity - used)
        }
    }

    static let day: Int64 = 86_400_000

    /// Stores a ready recording of `bytes` made at `at`, its MP4 written in `folder`.
    static func ready(_ store: any CollectorStore, _ order: String, at: Int64, bytes: Int, folder: URL) async throws
        -> RecordingRecord
    {
        let start = RecordingStart(orderID: order, schoolID: "S1", streamName: order, sourcePath: "/ingest/\(order).flv")
        let audit = AuditEntry(at: at, actor: "media", action: "recording.receive", target: order, schoolID: "S1", detail: "")
        let r = try #require(try await store.insertRecording(start, at: at, audit: audit))
        let mp4 = folder.appending(path: "\(order).mp4")
        try Data(repeating: 7, count: bytes).write(to: mp4)
        #expect(try await store.finishRecording(id: r.id, path: mp4.path, bytes: Int64(bytes), durationMillis: 1_000, at: at))
        return try #require(try await store.recording(id: r.id))
    }

    @Test(
        "expired recordings go (file and row, with audit); then the oldest go until the minimum is free",
        arguments: StoreKind.allCases)
    func retentionThenPressure(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let dir = try TestProcess.temporaryDirectory("recordings")
            defer { try? FileManager.default.removeItem(at: dir) }
            let now: Int64 = 1_790_000_000_000
            let old = try await Self.ready(store, "o-old", at: now - 31 * Self.day, bytes: 1_000, folder: dir)
            let a = try await Self.ready(store, "o-a", at: now - 20 * Self.day, bytes: 3_000, folder: dir)
            let b = try await Self.ready(store, "o-b", at: now - 10 * Self.day, bytes: 3_000, folder: dir)
            let c = try await Self.ready(store, "o-c", at: now - 1 * Self.day, bytes: 3_000, folder: dir)
            // A failed conversion past retention: its kept FLV goes too.
            let flv = dir.appending(path: "o-f.flv")
            try Data(repeating: 1, count: 10).write(to: flv)
            let f = try #require(
                try await store.insertRecording(
                    RecordingStart(orderID: "o-f", schoolID: "S1", streamName: "o-f", sourcePath: flv.path),
                    at: now - 40 * Self.day,
                    audit: AuditEntry(
                        at: 0, actor: "media", action: "recording.receive", target: "o-f", schoolID: "S1", detail: "")))
            _ = try await store.failRecording(
                id: f.id, reason: "bad", at: now - 40 * Self.day,
                audit: AuditEntry(at: 0, actor: "c", action: "recording.fail", target: "o-f", schoolID: "S1", detail: ""))

            // 10 000 bytes of disk, at least 50 % free: after retention 9 000 are used, so a and b must go.
            let configuration = RecordingConfiguration(
                ingestDirectory: "/ingest", directory: dir.path, retentionDays: 30, minimumFree: .percent(50))
            let janitor = RecordingJanitor(
                store: store, configuration: configuration, space: FolderSpace(capacity: 10_010), logger: Logger(label: "test"))
            let deleted = try await janitor.sweep(now: now)
            #expect(deleted.map(\.id) == [old.id, f.id, a.id, b.id])
            for gone in [old, a, b] { #expect(!FileManager.default.fileExists(atPath: gone.path ?? "")) }
            #expect(!FileManager.default.fileExists(atPath: flv.path))
            #expect(FileManager.default.fileExists(atPath: c.path ?? ""))
            #expect(try await store.recording(id: old.id)?.deleteReason == .retention)
            #expect(try await store.recording(id: f.id)?.deleteReason == .retention)
            #expect(try await store.recording(id: a.id)?.deleteReason == .diskPressure)
            #expect(try await store.recording(id: b.id)?.deleteReason == .diskPressure)
            #expect(try await store.recording(id: c.id)?.state == .ready)
            #expect(try await store.recordingDeletions(reason: .diskPressure, limit: 10).map(\.id) == [b.id, a.id])
            let audit = try await store.auditLog(filter: AuditFilter(), limit: 100, offset: 0).filter {
                $0.action == "recording.delete"
            }
            #expect(audit.count == 4)
            #expect(audit.contains { $0.target == "recording:\(a.id)" && $0.detail.hasPrefix("disk_pressure: free space") })
            #expect(audit.contains { $0.target == "recording:\(old.id)" && $0.detail.hasPrefix("retention: older than 30 days") })

            // Nothing more to do: a second pass deletes nothing.
            #expect(try await janitor.sweep(now: now).isEmpty)
            // A full disk with nothing left to delete but the newest: it goes, then the pass ends.
            let tight = RecordingJanitor(
                store: store, configuration: configuration, space: FolderSpace(capacity: 3_000), logger: Logger(label: "test"))
            #expect(try await tight.sweep(now: now + 1).map(\.id) == [c.id])
            #expect(try await tight.sweep(now: now + 2).isEmpty)
        }
    }

    @Test("a recording within its retention and a disk with room: nothing is deleted")
    func nothingToDo() async throws {
        try await withStore(.sqlite) { store in
            let dir = try TestProcess.temporaryDirectory("recordings")
            defer { try? FileManager.default.removeItem(at: dir) }
            let now: Int64 = 1_790_000_000_000
            let r = try await Self.ready(store, "o1", at: now - 29 * Self.day, bytes: 100, folder: dir)
            let janitor = RecordingJanitor(
                store: store,
                configuration: RecordingConfiguration(ingestDirectory: "/i", directory: dir.path, minimumFree: .bytes(500)),
                space: FolderSpace(capacity: 1_000), logger: Logger(label: "test"))
            #expect(try await janitor.sweep(now: now).isEmpty)
            #expect(try await store.recording(id: r.id)?.state == .ready)
            // The next day it has expired.
            #expect(try await janitor.sweep(now: now + 2 * Self.day).map(\.id) == [r.id])
        }
    }
}
