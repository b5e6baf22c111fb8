import ClassroomCollector
import ClassroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `on_record_done` through the real router, then the conversion with the real ffmpeg: garbage is
/// refused by name with nothing stored; a good FLV becomes a pending row at once, then an MP4 of
/// the same length with the FLV removed; an FLV ffmpeg cannot read is marked failed and kept.
@Suite("Recording hook and conversion")
struct RecordHookTests {
    @Test(
        "bad hooks are refused and store nothing; key and lesson-<id> names both map to their order",
        arguments: StoreKind.allCases)
    func hook(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let dir = try TestProcess.temporaryDirectory("record-hook")
            defer { try? FileManager.default.removeItem(at: dir) }
            let fixture = try await RecordingFixture.make(store, folder: dir)
            let flv = fixture.ingest.appending(path: "cfk_s1-1790000000.flv")
            try Data("FLV".utf8).write(to: flv)
            let outside = dir.appending(path: "elsewhere.flv")
            try Data("FLV".utf8).write(to: outside)
            let notFLV = fixture.ingest.appending(path: "cfk_s1.txt")
            try Data("x".utf8).write(to: notFLV)
            try await fixture.application().test(.router) { client in
                let wrongSecret = try await RecordingFixture.recordDone(
                    client, secret: "nope", fields: [("name", "cfk_s1"), ("path", flv.path)])
                #expect(wrongSecret.status == .forbidden && wrongSecret.body.contains("secret"))
                let good = ("name", "cfk_s1")
                let ingest = fixture.ingest.path
                var cases: [(fields: [(String, String)], status: HTTPResponse.Status, message: String)] = []
                cases.append(([("path", flv.path)], .badRequest, "'name'"))
                cases.append(([good], .badRequest, "'path'"))
                cases.append(([("name", "cfk_forged"), ("path", flv.path)], .notFound, "no spot-check order"))
                cases.append(([("name", "lesson-o-nope"), ("path", flv.path)], .notFound, "no spot-check order"))
                cases.append(([good, ("path", outside.path)], .badRequest, "outside the recording folder"))
                cases.append(([good, ("path", ingest + "/../elsewhere.flv")], .badRequest, "outside"))
                cases.append(([good, ("path", "relative/x.flv")], .badRequest, "absolute"))
                cases.append(([good, ("path", ingest + "/gone.flv")], .badRequest, "no such file"))
                cases.append(([good, ("path", notFLV.path)], .badRequest, "not an .flv"))
                cases.append(([good, ("path", ingest)], .badRequest, "outside the recording folder"))
                cases.append(([good, ("path", ingest + "/sub")], .badRequest, "not an .flv"))
                for (fields, status, message) in cases {
                    let answer = try await RecordingFixture.recordDone(client, fields: fields)
                    #expect(answer.status == status && answer.body.contains(message), "\(fields): \(answer)")
                }
                #expect(try await store.recordings(orderID: "o-s1").isEmpty)
                #expect(try await store.recordings(state: .pending).isEmpty)

                let accepted = try await RecordingFixture.recordDone(client, fields: [good, ("path", flv.path)])
                #expect(accepted.status == .ok, "\(accepted)")
                let again = try await RecordingFixture.recordDone(client, fields: [("name", "cfk_s1"), ("path", flv.path)])
                #expect(again.status == .conflict, "\(again)")
                let stored = try await store.recordings(orderID: "o-s1")
                #expect(stored.count == 1 && stored.first?.state == .pending && stored.first?.sourcePath == flv.path)
                #expect(stored.first?.schoolID == "S1")
                #expect(stored.first?.streamName == "sha256:" + Secrets.hash("cfk_s1"), "a stream key was stored as such")

                // The public name after on_publish's redirect.
                let public2 = fixture.ingest.appending(path: "lesson-o-s2-1790000001.flv")
                try Data("FLV".utf8).write(to: public2)
                let byName = try await RecordingFixture.recordDone(
                    client, fields: [("call", "record_done"), ("name", "lesson-o-s2"), ("path", public2.path)])
                #expect(byName.status == .ok, "\(byName)")
                #expect(try await store.recordings(orderID: "o-s2").first?.schoolID == "S2")
                #expect(try await store.recordings(orderID: "o-s2").first?.streamName == "lesson-o-s2")
                let details = try await store.auditLog(filter: AuditFilter(), limit: 100, offset: 0).map(\.detail)
                #expect(!details.contains { $0.contains("cfk_") }, "a stream key reached the audit log")

                // on_publish_done under the public name ends the order's publish too.
                _ = try await store.startSpotCheckPublish(orderID: "o-s2", at: fixture.harness.clock.now, addr: "127.0.0.1")
                let done = try await client.execute(
                    uri: "/api/v1/media/on_publish_done?secret=\(RecordingFixture.secret)", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "name=lesson-o-s2"))
                #expect(done.status == .ok)
                #expect(try await store.spotCheckOrder(id: "o-s2")?.publishEndedAt != nil)
            }
        }
    }

    @Test("a recorded FLV becomes an MP4 of its length and the FLV goes; one ffmpeg cannot read fails and is kept")
    func conversion() async throws {
        try await withStore(.sqlite) { store in
            let dir = try TestProcess.temporaryDirectory("record-convert")
            defer { try? FileManager.default.removeItem(at: dir) }
            let fixture = try await RecordingFixture.make(store, folder: dir)
            let good = fixture.ingest.appending(path: "cfk_s1-1.flv")
            try RecordingFixture.flv(good, seconds: 3)
            let garbage = fixture.ingest.appending(path: "cfk_s2-1.flv")
            try Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: garbage)
            try await fixture.application().test(.router) { client in
                let first = try await RecordingFixture.recordDone(client, fields: [("name", "cfk_s1"), ("path", good.path)])
                let second = try await RecordingFixture.recordDone(client, fields: [("name", "cfk_s2"), ("path", garbage.path)])
                #expect(first.status == .ok && second.status == .ok, "\(first) \(second)")
            }
            // The service converts what is pending when woken, as the server wakes it once it has migrated
            // the store at start (after a restart: what was left pending), then stops on cancel.
            let queue = RecordingQueue()
            let service = fixture.converter(queue: queue)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                queue.wake()
                for _ in 0..<300 where try await !store.recordings(state: .pending).isEmpty {
                    try await Task.sleep(for: .milliseconds(100))
                }
                group.cancelAll()
            }
            let ready = try #require(try await store.recordings(orderID: "o-s1").first)
            #expect(ready.state == .ready, "\(ready)")
            let mp4 = try #require(ready.path)
            #expect(mp4.hasPrefix(fixture.recordings.path + "/") && mp4.hasSuffix(".mp4"))
            let probe = try MediaServerProcess.probe(URL(filePath: mp4))
            #expect(probe.streams.contains("video") && probe.streams.contains("audio"), "\(probe.streams)")
            #expect(abs(probe.duration - 3) < 0.5, "MP4 of \(probe.duration) s from a 3 s FLV")
            #expect(abs(Double(ready.durationMillis ?? 0) / 1000 - probe.duration) < 0.1)
            #expect(ready.bytes == (try FileManager.default.attributesOfItem(atPath: mp4)[.size] as? NSNumber)?.int64Value)
            #expect(!FileManager.default.fileExists(atPath: good.path), "the FLV was not removed")
            // faststart: the index (moov) comes before the media data (mdat).
            let head = try Data(contentsOf: URL(filePath: mp4)).prefix(64 * 1024)
            let moov = head.range(of: Data("moov".utf8))
            let mdat = head.range(of: Data("mdat".utf8))
            #expect(moov != nil && (mdat == nil || moov!.lowerBound < mdat!.lowerBound))

            let failed = try #require(try await store.recordings(orderID: "o-s2").first)
            #expect(failed.state == .failed && failed.path == nil)
            #expect(failed.failure?.contains("ffmpeg exited") == true, "\(failed.failure ?? "")")
            #expect(FileManager.default.fileExists(atPath: garbage.path), "the unreadable FLV must be kept for inspection")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.recordings.path)
            #expect(leftovers == [URL(filePath: mp4).lastPathComponent], "\(leftovers)")
            let audit = try await store.auditLog(filter: AuditFilter(), limit: 100, offset: 0)
            #expect(audit.contains { $0.action == "recording.fail" && $0.schoolID == "S2" })
            #expect(audit.filter { $0.action == "recording.receive" }.count == 2)
        }
    }
}
