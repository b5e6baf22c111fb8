import ClassroomCollector
import ClassroomCore
import ClassroomTestSupport
import ClassroomWire
import Crypto
import Foundation
import Logging
import PostgresNIO

/// The real collector (SQLite or PostgreSQL) with a media secret and the real nginx-rtmp from the
/// shipped configuration calling its hooks, and a two-school registry whose lessons run now in the
/// county zone: S1's for 30 minutes, S2's for the next one to two minutes (its window closes soon;
/// setting up the collector and the media server may take half a minute on a loaded machine).
struct MediaIngestFixture {
    static let zone = "Asia/Shanghai"
    let collector: RunningCollector
    let media: MediaServerProcess
    let secret: String
    /// A lesson of S2 ends at this instant (milliseconds); with `--spotcheck-grace 0` its key closes then.
    let shortLessonEnd: Int64

    /// Starts both and imports the registry; `grace` is `--spotcheck-grace`. With `recordings`, the
    /// media server runs in `dir/media` and the collector converts its recordings (`dir/media/record`)
    /// into `recordings`.
    static func start(in dir: URL, database: String, grace: Int = 0, recordings: URL? = nil) async throws -> MediaIngestFixture {
        let secret = SHA256.hash(data: Data(UUID().uuidString.utf8)).map { String(format: "%02x", $0) }.joined()
        let secretFile = dir.appending(path: "media-secret")
        try (secret + "\n").write(to: secretFile, atomically: true, encoding: .utf8)
        let port = try MediaServerProcess.freePort()
        let collector = try await RunningCollector.start(
            in: dir, database: database,
            serveArguments: [
                "--media-secret-file", secretFile.path, "--spotcheck-ingest", "rtmp://127.0.0.1:\(port)/live",
                "--spotcheck-grace", "\(grace)", "--spotcheck-lead", "0", "--spotcheck-zone", zone,
            ]
                + (recordings.map {
                    ["--recording-ingest-dir", dir.appending(path: "media/record").path, "--recordings-dir", $0.path]
                } ?? []))
        do {
            let media =
                try recordings == nil
                ? MediaServerProcess(collector: collector.base, secret: secret, record: true, rtmpPort: port, http: true)
                : MediaServerProcess(
                    in: dir.appending(path: "media"), collector: collector.base, secret: secret, record: true, rtmpPort: port,
                    http: true)
            let (files, shortEnd) = try await registryRunningNow()
            let imported = try await collector.call("PUT", "/api/v1/registry", json: ["files": files])
            guard imported.0 == 200 else { throw TestSupportError("registry import: \(imported)") }
            return MediaIngestFixture(collector: collector, media: media, secret: secret, shortLessonEnd: shortEnd)
        } catch {
            collector.stop()
            throw error
        }
    }

    func stop() {
        media.stop()
        collector.stop()
    }

    /// The registry (base64 CSV files) and the end of S2's short lesson. Waits out the last seconds
    /// of a minute (and of a local day), so that both lessons are surely running when ordered.
    static func registryRunningNow() async throws -> ([String: String], Int64) {
        let county = try CountyTimeZone.named(zone)
        var local = county.localTime(of: Date())
        while local.second > 45 || local.time.minutes >= 24 * 60 - 3 || local.time.minutes < 1 {
            try await Task.sleep(for: .seconds(1))
            local = county.localTime(of: Date())
        }
        let m = local.time.minutes
        let start = TimeOfDay(minutes: m - 1)
        let shortEnd = TimeOfDay(minutes: m + 2)
        let longEnd = TimeOfDay(minutes: min(m + 30, 24 * 60 - 1))
        let day = local.date.weekday
        let csv: [String: String] = [
            "schools.csv": """
            school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students
            S1,龙树九年一贯制学校,鲁甸县,龙树镇,6,240,3,150,0,0
            S2,水磨中心小学,鲁甸县,水磨镇,12,480,0,0,0,0
            """,
            "rooms.csv": """
            room_id,school_id,name,kind,stage,class_name
            S1-REC,S1,录播教室,recording,shared,
            S2-REC,S2,录播教室,recording,shared,
            """,
            "teachers.csv": """
            teacher_id,school_id,name,subjects
            T1,S1,张伟,语文
            T2,S2,王芳,数学
            """,
            "timetable.csv": """
            school_id,room_id,teacher_id,weekday,start,end,subject
            S1,S1-REC,T1,\(day),\(start),\(longEnd),语文
            S2,S2-REC,T2,\(day),\(start),\(shortEnd),数学
            """,
        ]
        let end = county.instant(of: local.date, at: shortEnd)
        return (csv.mapValues { Data($0.utf8).base64EncodedString() }, Int64(end.timeIntervalSince1970 * 1000))
    }

    /// Enrolls a machine into `room` through the agent API and reports a camera and a microphone, as
    /// `classroomd` does; answers its credential.
    func enrollDevice(room: String, school: String) async throws -> String {
        let (_, created) = try await collector.call(
            "POST", "/api/v1/enrollment-tokens", json: ["school_id": school, "max_uses": 1, "expires_in_seconds": 3600])
        let key = Curve25519.Signing.PrivateKey()
        let (status, enrolled) = try await collector.call(
            "POST", AgentRoutes.enroll, token: "",
            json: [
                "token": created["token"] as? String ?? "", "room_id": room, "hostname": "pc-\(room)", "agent_version": "0.1.0",
                "public_key": key.publicKey.rawRepresentation.base64EncodedString(),
            ])
        guard status == 201, let credential = enrolled["credential"] as? String else {
            throw TestSupportError("enroll \(room): \(status) \(enrolled)")
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let inventory = HardwareInventory(
            cameras: [
                Camera(id: "cam", name: "HD Camera", devnode: "/dev/video0", vendorID: "046d", modelID: "0825", bus: "usb")
            ],
            microphones: [
                AudioEndpoint(id: "mic", card: 1, device: 0, name: "USB Mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")
            ])
        let batch = EventBatch(sentAt: now, events: [AgentEvent(seq: 1, at: now, body: .inventorySnapshot(inventory))])
        let uploaded = try await collector.call(
            "POST", AgentRoutes.events, token: credential,
            json: try JSONSerialization.jsonObject(with: JSONEncoder().encode(batch)))
        guard uploaded.0 == 200 else { throw TestSupportError("events \(room): \(uploaded)") }
        return credential
    }

    /// Orders a lesson in progress now at `school` (`classroomctl spotcheck now`'s route) and answers the
    /// order id and the stream key the device received in its `spotcheck_start` command.
    func orderNow(school: String, device credential: String) async throws -> (order: String, key: String) {
        let (status, order) = try await collector.call("POST", "/api/v1/spotcheck/now", json: ["school_id": school])
        guard status == 201, let id = order["id"] as? String, order["dispatch"] as? String == "sent" else {
            throw TestSupportError("spotcheck now \(school): \(status) \(order)")
        }
        let (polled, body) = try await collector.call("GET", AgentRoutes.commands + "?wait=0", token: credential)
        let list = try JSONDecoder().decode(CommandList.self, from: JSONSerialization.data(withJSONObject: body))
        guard polled == 200, let payload = list.commands.first(where: { $0.spotcheck?.orderID == id })?.spotcheck else {
            throw TestSupportError("no spotcheck_start for \(id): \(polled) \(body)")
        }
        let prefix = media.ingest + "/"
        guard payload.ingestURL.hasPrefix(prefix) else {
            throw TestSupportError("ingest URL \(payload.ingestURL) is not under \(prefix)")
        }
        return (id, String(payload.ingestURL.dropFirst(prefix.count)))
    }

    /// The order as `GET /api/v1/spotcheck/weeks/{week}/results` shows it, with its status.
    func result(_ order: String) async throws -> (row: [String: Any], status: String) {
        let week = ISOWeek(containing: try CountyTimeZone.named(Self.zone).localTime(of: Date()).date).description
        let (status, body) = try await collector.call("GET", "/api/v1/spotcheck/weeks/\(week)/results")
        let rows = body["results"] as? [[String: Any]] ?? []
        guard status == 200, let row = rows.first(where: { ($0["order"] as? [String: Any])?["id"] as? String == order }) else {
            throw TestSupportError("results of \(week): \(status) \(body)")
        }
        return (row["order"] as? [String: Any] ?? [:], row["status"] as? String ?? "")
    }
}

/// A database URL for one collector process: a file, or a fresh database on the test PostgreSQL
/// (nil when `CLASSROOMFLEET_TEST_POSTGRES_URL` is unset), dropped afterwards.
func withCollectorDatabase(_ kind: StoreKind, in dir: URL, _ body: (String) async throws -> Void) async throws {
    switch kind {
    case .sqlite:
        try await body("sqlite:" + dir.appending(path: "collector.sqlite").path)
    case .postgres:
        guard let base = postgresTestURL else { return }
        let name = "cf_media_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await postgresAdmin(base, "CREATE DATABASE \(name)")
        do {
            try await body(replacingDatabase(base, with: name))
        } catch {
            try? await postgresAdmin(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await postgresAdmin(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

private func postgresAdmin(_ url: String, _ sql: String) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .error
    let admin = try CollectorPostgresStore(url: url, logger: logger, maximumConnections: 1)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await admin.client.run() }
        try await admin.client.query(PostgresQuery(unsafeSQL: sql))
        group.cancelAll()
    }
}
