import ClassroomCollector
import ClassroomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A collector over one store with the test registry, a media hook secret, an ingest folder and a
/// recordings folder, and called lessons to record: order `o-s1` (school S1, room R2) with key
/// `cfk_s1`, order `o-s2` (school S2, room R3) with key `cfk_s2`.
struct RecordingFixture: Sendable {
    let harness: ConsoleHarness
    let folder: URL
    let configuration: CollectorConfiguration
    static let secret = "rec-secret-1"

    var store: any CollectorStore { harness.store }
    var ingest: URL { folder.appending(path: "ingest") }
    var recordings: URL { folder.appending(path: "mp4") }

    static func make(_ store: any CollectorStore, folder: URL) async throws -> RecordingFixture {
        let harness = try await ConsoleHarness.make(store)
        var configuration = CollectorConfiguration(port: 0, databaseURL: "test")
        configuration.profilesDirectory = CollectorHarness.profiles
        configuration.console.bcryptCost = 4
        configuration.spotcheck.mediaHookSecret = secret
        configuration.recordings = RecordingConfiguration(
            ingestDirectory: folder.appending(path: "ingest").path, directory: folder.appending(path: "mp4").path,
            retentionDays: 30, minimumFree: .percent(1))
        try FileManager.default.createDirectory(at: folder.appending(path: "ingest"), withIntermediateDirectories: true)
        let fixture = RecordingFixture(harness: harness, folder: folder, configuration: configuration)
        try await fixture.order("o-s1", school: "S1", room: "R2", key: "cfk_s1")
        try await fixture.order("o-s2", school: "S2", room: "R3", key: "cfk_s2")
        return fixture
    }

    func order(_ id: String, school: String, room: String, key: String) async throws {
        let t = harness.clock.now
        let order = SpotCheckOrderRecord(
            id: id, week: "2026-W40", source: "now", position: 0, round: 1, teacherID: "T-\(school)", teacherName: "张老师",
            schoolID: school, roomID: room, weekday: 3, startMinute: 8 * 60, endMinute: 8 * 60 + 45, subject: "语文",
            lessonStart: t - 600_000, lessonEnd: t + 2_100_000, createdAt: t - 700_000)
        try await store.insertSpotCheckOrder(
            order, audit: AuditEntry(at: t, actor: "test", action: "spotcheck.now", target: id, schoolID: school, detail: ""))
        // Dispatched as the dispatcher does: the key's hash is stored, the key goes to the device.
        let claimed = try await store.claimSpotCheckDispatch(
            orderID: id,
            dispatch: SpotCheckDispatch(deviceID: nil, commandID: nil, streamKeyHash: Secrets.hash(key), note: "sent"),
            at: t)
        guard claimed else { throw TestSupportError("order \(id) was dispatched already") }
    }

    func application() -> some ApplicationProtocol {
        var logger = Logger(label: "recording-test")
        logger.logLevel = .warning
        let clock = harness.clock
        return CollectorServer.application(
            store: store, notifier: harness.base.notifier, configuration: configuration, logger: logger, now: { clock.now })
    }

    /// The converter service over this store and folder, with the test clock.
    func converter(queue: RecordingQueue = RecordingQueue()) -> RecordingConversionService {
        let clock = harness.clock
        return RecordingConversionService(
            store: store, converter: FFmpegRecordingConverter(), configuration: configuration.recordings, queue: queue,
            logger: Logger(label: "recording-test"), now: { clock.now })
    }

    /// An FLV of `seconds` of test picture and tone, made by ffmpeg (as nginx-rtmp records one).
    static func flv(_ file: URL, seconds: Int) throws {
        let made = try TestProcess.run(
            URL(filePath: "/usr/bin/ffmpeg"),
            [
                "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "\(seconds)", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", file.path,
            ])
        guard made.status == 0 else { throw TestSupportError("ffmpeg could not make \(file.path): \(made.stderr)") }
    }

    /// Posts an nginx-rtmp style `on_record_done` form.
    static func recordDone(
        _ client: some TestClientProtocol, secret: String = secret, fields: [(String, String)]
    ) async throws -> (status: HTTPResponse.Status, body: String) {
        let body = fields.map { "\($0.0)=\(ConsoleTestClient.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(
            uri: "/api/v1/media/on_record_done?secret=\(secret)", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
        return (response.status, String(buffer: response.body))
    }
}
