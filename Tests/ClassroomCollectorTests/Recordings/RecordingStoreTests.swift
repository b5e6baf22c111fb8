import ClassroomCore
import Testing

@testable import ClassroomCollector

/// The recordings' table on both stores: a file is stored once, moves pending → ready or failed →
/// deleted only along those edges, each change that matters with its audit entry, and the totals
/// and deletion lists count what was stored.
@Suite("Recording store")
struct RecordingStoreTests {
    static func start(_ order: String, school: String = "S1", file: String? = nil) -> RecordingStart {
        RecordingStart(orderID: order, schoolID: school, streamName: "lesson-\(order)", sourcePath: file ?? "/rec/\(order).flv")
    }

    static func audit(_ action: String, _ at: Int64) -> AuditEntry {
        AuditEntry(at: at, actor: "test", action: action, target: "recording", schoolID: "S1", detail: "")
    }

    @Test("a file is stored once; pending → ready → deleted; totals and lists", arguments: StoreKind.allCases)
    func lifecycle(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let a = try #require(
                try await store.insertRecording(Self.start("o1"), at: 1_000, audit: Self.audit("recording.receive", 1_000)))
            #expect(a.state == .pending && a.orderID == "o1" && a.createdAt == 1_000)
            // The same FLV again: nothing stored, no audit entry.
            #expect(
                try await store.insertRecording(Self.start("o1"), at: 1_500, audit: Self.audit("recording.receive", 1_500)) == nil
            )
            let b = try #require(
                try await store.insertRecording(
                    Self.start("o2", school: "S2"), at: 2_000, audit: Self.audit("recording.receive", 2_000)))
            #expect(try await store.recordings(state: .pending).map(\.id) == [a.id, b.id])

            #expect(
                try await store.finishRecording(id: a.id, path: "/mp4/o1.mp4", bytes: 4_096, durationMillis: 3_000, at: 3_000))
            // Only a pending recording can be finished.
            #expect(try await !store.finishRecording(id: a.id, path: "/x", bytes: 1, durationMillis: nil, at: 3_100))
            let ready = try #require(try await store.recording(id: a.id))
            #expect(ready.state == .ready && ready.path == "/mp4/o1.mp4" && ready.bytes == 4_096)
            #expect(ready.durationMillis == 3_000 && ready.convertedAt == 3_000)
            #expect(try await store.recordingTotals() == RecordingTotals(count: 1, bytes: 4_096))

            #expect(
                try await store.failRecording(
                    id: b.id, reason: "ffmpeg exited with 1", at: 3_500, audit: Self.audit("recording.fail", 3_500)))
            #expect(
                try await !store.failRecording(id: b.id, reason: "again", at: 3_600, audit: Self.audit("recording.fail", 3_600)))
            #expect(try await store.recording(id: b.id)?.failure == "ffmpeg exited with 1")
            #expect(try await store.recordings(state: .failed).map(\.id) == [b.id])

            // A second recording of o1 (a reconnect): newest first per order.
            let c = try #require(
                try await store.insertRecording(
                    Self.start("o1", file: "/rec/o1-2.flv"), at: 4_000, audit: Self.audit("recording.receive", 4_000)))
            #expect(try await store.recordings(orderID: "o1").map(\.id) == [c.id, a.id])

            #expect(
                try await store.deleteRecording(
                    id: a.id, reason: .diskPressure, at: 5_000, audit: Self.audit("recording.delete", 5_000)))
            #expect(
                try await store.deleteRecording(
                    id: b.id, reason: .retention, at: 6_000, audit: Self.audit("recording.delete", 6_000)))
            // Deleted once; a pending recording cannot be deleted.
            #expect(
                try await !store.deleteRecording(
                    id: a.id, reason: .retention, at: 7_000, audit: Self.audit("recording.delete", 7_000)))
            #expect(
                try await !store.deleteRecording(
                    id: c.id, reason: .retention, at: 7_000, audit: Self.audit("recording.delete", 7_000)))
            let deletedA = try #require(try await store.recording(id: a.id))
            #expect(deletedA.state == .deleted && deletedA.deletedAt == 5_000 && deletedA.deleteReason == .diskPressure)
            #expect(try await store.recordingDeletions(reason: nil, limit: 10).map(\.id) == [b.id, a.id])
            #expect(try await store.recordingDeletions(reason: .diskPressure, limit: 10).map(\.id) == [a.id])
            #expect(try await store.recordingDeletions(reason: nil, limit: 1).map(\.id) == [b.id])
            #expect(try await store.recordingTotals() == RecordingTotals(count: 0, bytes: 0))

            let actions = try await store.auditLog(filter: AuditFilter(), limit: 100, offset: 0).map(\.action)
            #expect(actions.filter { $0 == "recording.receive" }.count == 3)
            #expect(actions.filter { $0 == "recording.fail" }.count == 1)
            #expect(actions.filter { $0 == "recording.delete" }.count == 2)
            #expect(try await store.recording(id: 999_999) == nil)
        }
    }
}
