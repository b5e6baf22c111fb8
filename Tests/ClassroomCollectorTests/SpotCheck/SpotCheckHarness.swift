import ClassroomCollector
import ClassroomCore
import ClassroomWire
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// A collector with the spot-check configured for tests: UTC+8, a media hook secret, and the
/// test clock of ``CollectorHarness`` (2026-09-21, a Monday evening in week 2026-W39).
struct SpotCheckHarness: Sendable {
    let base: CollectorHarness
    let configuration = SpotCheckConfiguration(
        zone: CountyTimeZone(fixedOffsetSeconds: 8 * 3600), ingestURL: "rtmp://ingest.test/live", leadSeconds: 60,
        graceSeconds: 300, mediaHookSecret: "hook-secret")

    static func make(_ store: any CollectorStore) async throws -> SpotCheckHarness {
        SpotCheckHarness(base: try await CollectorHarness.make(store))
    }

    var admin: String { base.adminToken }
    var clock: TestClock { base.clock }

    func application(maximumWait: Int = 30) -> some ApplicationProtocol {
        var logger = Logger(label: "spotcheck-test")
        logger.logLevel = .warning
        var collector = CollectorConfiguration(port: 0, databaseURL: "test", maximumWait: maximumWait)
        collector.spotcheck = configuration
        let clock = clock
        return CollectorServer.application(
            store: base.store, notifier: base.notifier, configuration: collector, logger: logger, now: { clock.now })
    }

    var dispatcher: SpotCheckDispatcher {
        SpotCheckDispatcher(
            store: base.store, commands: CommandDispatcher(queue: base.store, notifier: base.notifier),
            configuration: configuration)
    }

    /// Moves the test clock to `millis` (whole seconds).
    func setClock(_ millis: Int64) { clock.advance(seconds: (millis - clock.now) / 1000) }

    /// Milliseconds of a local wall-clock time of a week in the test zone.
    func instant(_ week: String, weekday: Int, _ time: String) -> Int64 {
        let date = configuration.zone.instant(
            of: ISOWeek(parsing: week)!.date(weekday: weekday), at: TimeOfDay(parsing: time)!)
        return Int64(date.timeIntervalSince1970 * 1000)
    }
}

/// An enrolled test device holding its own signing key.
struct TestDevice: Sendable {
    var enrolled: EnrollResponse
    var key: Curve25519.Signing.PrivateKey
    var credential: String { enrolled.credential }
    var id: String { enrolled.deviceID }

    /// Evidence for `orderID`, signed with this device's key.
    func evidence(_ payload: SpotCheckEvidencePayload, key: Curve25519.Signing.PrivateKey? = nil) throws -> SignedEvidence {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = try encoder.encode(payload)
        let signature = try (key ?? self.key).signature(for: bytes)
        return SignedEvidence(
            orderID: payload.orderID, payload: bytes.base64EncodedString(), signature: Data(signature).base64EncodedString())
    }
}

extension TestClientProtocol {
    /// Enrolls a device in `room` with a fresh key and uploads its inventory (camera and
    /// microphone unless told otherwise).
    func enrollDevice(
        room: String, school: String, admin: String, now: Int64, camera: Bool = true, microphone: Bool = true
    ) async throws -> TestDevice {
        let created = try await call(
            .post, "/api/v1/enrollment-tokens", token: admin,
            json: ["school_id": school, "max_uses": 5, "expires_in_seconds": 3600])
        guard let token = created.json["token"] as? String else { throw TestFailure("enrollment token: \(created.text)") }
        let key = Curve25519.Signing.PrivateKey()
        let answer = try await send(
            .post, AgentRoutes.enroll,
            body: EnrollRequest(
                token: token, roomID: room, publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                hostname: "pc-\(room)", agentVersion: "0.1.0"))
        guard answer.status == .created else { throw TestFailure("enroll: \(answer.status) \(answer.text)") }
        let device = TestDevice(enrolled: try answer.decode(EnrollResponse.self), key: key)
        let inventory = HardwareInventory(
            cameras: camera
                ? [
                    Camera(
                        id: "usb-cam-\(room)", name: "HD Camera", devnode: "/dev/video0", vendorID: "046d", modelID: "0825",
                        bus: "usb")
                ]
                : [],
            microphones: microphone
                ? [
                    AudioEndpoint(
                        id: "mic-\(room)", card: 1, device: 0, name: "USB Mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")
                ]
                : [])
        try await upload(device, now: now, [AgentEvent(seq: 1, at: now, body: .inventorySnapshot(inventory))])
        return device
    }

    func upload(_ device: TestDevice, now: Int64, _ events: [AgentEvent]) async throws {
        let answer = try await send(
            .post, AgentRoutes.events, token: device.credential, body: EventBatch(sentAt: now, events: events))
        guard answer.status == .ok else { throw TestFailure("events: \(answer.status) \(answer.text)") }
    }

    /// An nginx-rtmp callback.
    func mediaHook(_ hook: String, key: String, secret: String = "hook-secret") async throws -> Answer {
        let body = "call=publish&app=live&name=\(key)&addr=127.0.0.1&clientid=7"
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers[.userAgent] = "nginx-rtmp"
        let response = try await execute(
            uri: "/api/v1/media/\(hook)?secret=\(secret)", method: .post, headers: headers, body: ByteBuffer(string: body))
        return Answer(status: response.status, body: Data(buffer: response.body), headers: response.headers)
    }
}
