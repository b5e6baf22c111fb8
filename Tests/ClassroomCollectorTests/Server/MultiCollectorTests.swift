import ClassroomTestSupport
import Foundation
import Testing

/// Several real `classroom-collector serve` processes on one PostgreSQL database (issue 18 item 4):
/// a command queued through one collector wakes an agent's long-poll waiting on another (LISTEN/NOTIFY),
/// an acknowledgement through either is seen by all. Skipped without `CLASSROOMFLEET_TEST_POSTGRES_URL`
/// (the test command sets it).
@Suite(.serialized) struct MultiCollectorTests {
    @Test(
        "a command queued through collector A wakes the long-poll waiting on collector B; an ack through either is seen by both")
    func crossCollectorCommandDelivery() async throws {
        try await Self.onPostgres { database, dir in try await crossCollector(database, dir) }
    }

    private func crossCollector(_ database: CollectorDatabase, _ dir: URL) async throws {
        // The polls wait up to 600 s, far longer than the client waits for an answer (120 s): only the
        // wake-up can answer them in time (at the end of a wait a poll would also find the command).
        let fleet = try await CollectorFleet.start(
            2, on: database, in: dir, serveArguments: ["--no-selftest", "--max-wait", "600"])
        defer { fleet.stop() }
        let (a, b) = (fleet.collectors[0], fleet.collectors[1])
        try CollectorFleet.importCounty(through: a)
        let device = try await CollectorFleet.enroll(room: "S00001-R001", issuer: a, at: b)

        // Both directions: queued through one, polled on the other, acknowledged through the first.
        for (round, (queuer, poller)) in [(a, b), (b, a), (a, b)].enumerated() {
            try await deliver(round: round, device: device, queuedThrough: queuer, polledOn: poller, ackThrough: queuer)
        }
        // An acknowledgement through the collector that answered the poll is seen by the other as well.
        try await deliver(round: 3, device: device, queuedThrough: a, polledOn: b, ackThrough: b)

        // Stored once each: four commands, all acknowledged, none twice.
        let rows = try database.query(
            "SELECT count(*), count(acknowledged_at) FROM commands WHERE device_id = '\(device.deviceID)' AND kind = 'chime'")
        #expect(rows == [["4", "4"]])
    }

    @Test("three collectors' dispatchers, woken at the same moment, dispatch each due spot-check order exactly once")
    func spotCheckDispatchedOnce() async throws {
        try await Self.onPostgres { database, dir in try await dispatchOnce(database, dir) }
    }

    private func dispatchOnce(_ database: CollectorDatabase, _ dir: URL) async throws {
        let fleet = try await CollectorFleet.start(3, on: database, in: dir, serveArguments: ["--no-selftest"])
        defer { fleet.stop() }
        try CollectorFleet.importCounty(through: fleet.collectors[0])
        // Devices in three rooms, each enrolled at another collector; the fourth room has none.
        var devices: [String: String] = [:]
        for (index, room) in ["S00001-R001", "S00001-R002", "S00001-R003"].enumerated() {
            let at = fleet.collectors[index]
            devices[room] = try await CollectorFleet.enroll(room: room, issuer: fleet.collectors[0], at: at).deviceID
        }
        let rooms = ["S00001-R001", "S00001-R002", "S00001-R003", "S00001-R004"]

        // Every dispatcher sleeps 10 s between passes. Stopped (SIGSTOP) while the orders become due and
        // for longer than that interval, all three pass at once when continued: the claims really race.
        for collector in fleet.collectors { kill(collector.process.processIdentifier, SIGSTOP) }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let values = (0..<24).map { i in
            let room = rooms[i % rooms.count]
            return """
                ('mc-order-\(String(format: "%02d", i))', '2026-W49', 'draw', \(i), 0, 'T\(i)', 'Teacher \(i)', 'S00001',
                 '\(room)', 1, 480, 525, 'math', \(now + 20_000), \(now + 2_400_000), \(now))
                """
        }
        _ = try database.query(
            """
            INSERT INTO spotcheck_orders (id, week, source, position, round, teacher_id, teacher_name, school_id, room_id,
              weekday, start_minute, end_minute, subject, lesson_start, lesson_end, created_at)
            VALUES \(values.joined(separator: ",\n"))
            """)
        try await Task.sleep(for: .seconds(11))
        for collector in fleet.collectors { kill(collector.process.processIdentifier, SIGCONT) }

        let withDevice = (0..<24).filter { devices[rooms[$0 % rooms.count]] != nil }.count
        let done = try await ClassroomdProcess.eventually(60) {
            let left = try database.query("SELECT count(*) FROM spotcheck_orders WHERE dispatched_at IS NULL")
            let sent = try database.query("SELECT count(*) FROM commands WHERE kind = 'spotcheck_start'")
            return left == [["0"]] && sent.first?.first.flatMap { Int($0) } ?? 0 >= withDevice
        }
        try #require(done, "the orders were not all dispatched within 60 s")
        // Any second claim would have queued its command within the same pass; give it a moment to show.
        try await Task.sleep(for: .seconds(2))

        let rows = try database.query(
            """
            SELECT o.id, o.room_id, coalesce(o.device_id, ''), o.dispatch_note,
              (SELECT count(*) FROM commands c WHERE c.kind = 'spotcheck_start' AND c.body LIKE '%"' || o.id || '"%'),
              (SELECT count(*) FROM commands c WHERE c.id = o.command_id AND c.device_id = o.device_id),
              (SELECT count(*) FROM audit_log a WHERE a.action = 'spotcheck.dispatch' AND a.target = 'spotcheck_order:' || o.id)
            FROM spotcheck_orders o ORDER BY o.id
            """)
        #expect(rows.count == 24)
        for row in rows {
            let (room, device) = (row[1], row[2])
            if let expected = devices[room] {
                #expect(row[2...] == [expected, "sent", "1", "1", "1"], "order \(row[0]) in \(room): \(row)")
            } else {
                #expect(
                    row[2...] == [device, "no_device", "0", "0", "0"] && device.isEmpty, "order \(row[0]) in \(room): \(row)")
            }
        }
        let total = try database.query("SELECT count(*) FROM commands WHERE kind = 'spotcheck_start'")
        #expect(total == [["\(withDevice)"]])
    }

    /// One command: the agent's long-poll (`GET /api/v1/agent/commands?wait=600`) waits on `poller`
    /// (its `collector_long_polls_waiting` says so) before `queuer` queues the command; the poll must
    /// answer with exactly that command, then both collectors list it as pending until `ackThrough`
    /// acknowledges it, and neither lists it after.
    private func deliver(
        round: Int, device: (deviceID: String, credential: String), queuedThrough queuer: RunningCollector,
        polledOn poller: RunningCollector, ackThrough: RunningCollector
    ) async throws {
        async let polling = poller.call("GET", "/api/v1/agent/commands?wait=600", token: device.credential)
        let waiting = await ClassroomdProcess.eventually(30) {
            await CollectorFleet.metric("collector_long_polls_waiting", of: poller) == 1
        }
        try #require(waiting, "round \(round): the long-poll never waited on \(poller.base)")
        let (queued, command) = try await queuer.call(
            "POST", "/api/v1/devices/\(device.deviceID)/commands", json: ["kind": "chime"])
        try #require(queued == 201, "round \(round): queue: \(queued) \(command)")
        let id = try #require(command["id"] as? String)

        let status: Int
        let answer: [String: Any]
        do {
            (status, answer) = try await polling
        } catch {
            throw TestSupportError("round \(round): the poll on \(poller.base) was not woken by command \(id): \(error)")
        }
        #expect(status == 200)
        let delivered = (answer["commands"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(delivered == [id], "round \(round): the poll on \(poller.base) answered \(answer), not command \(id)")

        for collector in [queuer, poller] {
            #expect(try await pendingIDs(device, on: collector) == [id], "round \(round): pending on \(collector.base)")
        }
        let (acked, ack) = try await ackThrough.call(
            "POST", "/api/v1/agent/commands/ack", token: device.credential, json: ["ids": [id]])
        #expect(acked == 200 && ack["acknowledged"] as? Int == 1, "round \(round): ack \(acked) \(ack)")
        for collector in [queuer, poller] {
            #expect(try await pendingIDs(device, on: collector) == [], "round \(round): still pending on \(collector.base)")
        }
        // A second acknowledgement of the same command, through the other collector, changes nothing.
        let other = ackThrough.base == queuer.base ? poller : queuer
        let (again, twice) = try await other.call(
            "POST", "/api/v1/agent/commands/ack", token: device.credential, json: ["ids": [id]])
        #expect(again == 200 && twice["acknowledged"] as? Int == 0, "round \(round): second ack \(again) \(twice)")
    }

    /// Runs `body` on a new PostgreSQL database of its own (dropped after), in a temporary folder;
    /// nothing when the test command's PostgreSQL is not configured.
    static func onPostgres(_ body: (CollectorDatabase, URL) async throws -> Void) async throws {
        let dir = try TestProcess.temporaryDirectory("multi-collector")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let database = try await CollectorDatabase.make(.postgres, in: dir) else { return }
        do {
            try await body(database, dir)
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    /// The ids a collector lists as pending for the device right now (`wait` absent: no long-poll).
    private func pendingIDs(_ device: (deviceID: String, credential: String), on collector: RunningCollector)
        async throws -> [String]
    {
        let (status, answer) = try await collector.call("GET", "/api/v1/agent/commands", token: device.credential)
        guard status == 200, let commands = answer["commands"] as? [[String: Any]] else {
            throw TestSupportError("commands on \(collector.base): \(status) \(answer)")
        }
        return commands.compactMap { $0["id"] as? String }
    }
}
