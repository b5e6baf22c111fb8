import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {
    /// Keeps the coverage read models (``CoverageReadModel``) inside the transaction `c` that just
    /// appended `events`: the events themselves when all were new, else their stored versions.
    static func updateCoverageReadModels(
        _ c: PostgresConnection, _ events: [StoredEvent], _ appended: AppendOutcome, logger: Logger
    ) async throws {
        var relevant = events.filter { CoverageReadModel.isContact($0.kind) }
        guard !relevant.isEmpty, appended.inserted > 0 else { return }
        if appended.duplicates > 0 {
            relevant = try await c.query(
                """
                SELECT e.device_id, e.seq, e.kind, e.agent_at, e.at, e.received_at, e.body FROM events e
                JOIN UNNEST(\(relevant.map(\.deviceID))::text[], \(relevant.map(\.seq))::bigint[]) AS k (device_id, seq)
                  ON e.device_id = k.device_id AND e.seq = k.seq
                """, logger: logger
            ).collect().map {
                let (device, seq, kind, agentAt, at, receivedAt, body) = try $0.decode(
                    (String, Int64, String, Int64, Int64, Int64, String).self)
                return StoredEvent(
                    deviceID: device, seq: seq, kind: kind, agentAt: agentAt, at: at, receivedAt: receivedAt, body: body)
            }
        }
        try await applyCoverageReadModels(c, CoverageReadModel.Batch(relevant), logger: logger)
    }

    /// New hour rows are inserted; existing ones (or ones another transaction inserted meanwhile) are
    /// locked, merged and updated, so concurrent collectors never lose each other's minutes.
    ///
    /// `hardware: false` leaves out the inventories' summaries: v600's back-fill, run before the column
    /// exists (`v660-coverage-hardware` then fills it).
    static func applyCoverageReadModels(
        _ c: PostgresConnection, _ batch: CoverageReadModel.Batch, hardware: Bool = true, logger: Logger
    ) async throws {
        let inv = batch.inventories
        if !inv.isEmpty, !hardware {
            try await c.query(
                """
                INSERT INTO coverage_inventories (device_id, seq, at, inventory)
                SELECT * FROM UNNEST(\(inv.map(\.deviceID))::text[], \(inv.map(\.seq))::bigint[], \(inv.map(\.at))::bigint[],
                  \(inv.map(\.inventory))::text[])
                ON CONFLICT (device_id, seq) DO NOTHING
                """, logger: logger)
        } else if !inv.isEmpty {
            try await c.query(
                """
                INSERT INTO coverage_inventories (device_id, seq, at, inventory, hardware)
                SELECT * FROM UNNEST(\(inv.map(\.deviceID))::text[], \(inv.map(\.seq))::bigint[], \(inv.map(\.at))::bigint[],
                  \(inv.map(\.inventory))::text[], \(inv.map { Int64($0.hardware.rawValue) })::bigint[])
                ON CONFLICT (device_id, seq) DO NOTHING
                """, logger: logger)
        }
        let hours = batch.hours.sorted { $0.key < $1.key }  // one lock order for every collector
        guard !hours.isEmpty else { return }
        let inserted = try await c.query(
            """
            INSERT INTO coverage_hours (device_id, hour, last_at, contacts, active)
            SELECT * FROM UNNEST(\(hours.map({ $0.key.deviceID }))::text[], \(hours.map({ $0.key.hour }))::bigint[],
              \(hours.map({ $0.value.lastAt }))::bigint[], \(hours.map({ ByteBuffer(bytes: $0.value.contactsBytes) }))::bytea[],
              \(hours.map({ ByteBuffer(bytes: $0.value.activeBytes) }))::bytea[])
            ON CONFLICT (device_id, hour) DO NOTHING RETURNING device_id, hour
            """, logger: logger
        ).collect().map {
            let (device, hour) = try $0.decode((String, Int64).self)
            return CoverageReadModel.HourKey(deviceID: device, hour: hour)
        }
        let fresh = Set(inserted)
        let existing = hours.filter { !fresh.contains($0.key) }
        guard !existing.isEmpty else { return }
        var merged = Dictionary(uniqueKeysWithValues: existing.map { ($0.key, $0.value) })
        for row in try await c.query(
            """
            SELECT h.device_id, h.hour, h.last_at, h.contacts, h.active FROM coverage_hours h
            JOIN UNNEST(\(existing.map({ $0.key.deviceID }))::text[], \(existing.map({ $0.key.hour }))::bigint[]) AS k (device_id, hour)
              ON h.device_id = k.device_id AND h.hour = k.hour
            ORDER BY h.device_id, h.hour FOR UPDATE OF h
            """, logger: logger
        ).collect() {
            let (device, hour, lastAt, contacts, active) = try row.decode((String, Int64, Int64, ByteBuffer?, ByteBuffer?).self)
            let key = CoverageReadModel.HourKey(deviceID: device, hour: hour)
            merged[key]?.merge(stored: key, lastAt: lastAt, contacts: contacts.map(bytes), active: active.map(bytes))
        }
        let rows = merged.sorted { $0.key < $1.key }
        try await c.query(
            """
            UPDATE coverage_hours h SET last_at = v.last_at, contacts = v.contacts, active = v.active
            FROM UNNEST(\(rows.map({ $0.key.deviceID }))::text[], \(rows.map({ $0.key.hour }))::bigint[],
              \(rows.map({ $0.value.lastAt }))::bigint[], \(rows.map({ ByteBuffer(bytes: $0.value.contactsBytes) }))::bytea[],
              \(rows.map({ ByteBuffer(bytes: $0.value.activeBytes) }))::bytea[]) AS v (device_id, hour, last_at, contacts, active)
            WHERE h.device_id = v.device_id AND h.hour = v.hour
            """, logger: logger)
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { Array(buffer.readableBytesView) }

    /// The read models of every stored event, in pages of 10,000 by key: migration `v600-read-models`
    /// (`inventories`) and `v640-coverage-hours` (`hours`).
    static func backfillCoverageReadModels(
        _ c: PostgresConnection, inventories: Bool, hours: Bool, logger: Logger
    ) async throws {
        let kinds = (inventories && !hours ? CoverageReadModel.inventoryKinds : CoverageReadModel.kinds).sorted()
        var after: (String, Int64)? = nil
        while true {
            let (device, seq) = after ?? ("", Int64.min)
            let page = try await c.query(
                """
                SELECT device_id, seq, kind, agent_at, at, received_at, body FROM events
                WHERE kind = ANY(\(kinds)::text[]) AND (device_id, seq) > (\(device), \(seq))
                ORDER BY device_id, seq LIMIT 10000
                """, logger: logger
            ).collect().map {
                let (device, seq, kind, agentAt, at, receivedAt, body) = try $0.decode(
                    (String, Int64, String, Int64, Int64, Int64, String).self)
                return StoredEvent(
                    deviceID: device, seq: seq, kind: kind, agentAt: agentAt, at: at, receivedAt: receivedAt, body: body)
            }
            guard let last = page.last else { return }
            var batch = CoverageReadModel.Batch(page, inventories: inventories)
            if !hours { batch.hours = [:] }
            try await applyCoverageReadModels(c, batch, hardware: false, logger: logger)
            after = (last.deviceID, last.seq)
        }
    }

    /// The hardware summary of every inventory stored before `v660-coverage-hardware`, 10,000 at a time.
    static func backfillCoverageHardware(_ c: PostgresConnection, logger: Logger) async throws {
        var after: (String, Int64) = ("", .min)
        while true {
            let page = try await c.query(
                """
                SELECT device_id, seq, inventory FROM coverage_inventories WHERE (device_id, seq) > (\(after.0), \(after.1))
                ORDER BY device_id, seq LIMIT 10000
                """, logger: logger
            ).collect().map { try $0.decode((String, Int64, String).self) }
            guard let last = page.last else { return }
            try await c.query(
                """
                UPDATE coverage_inventories i SET hardware = v.hardware
                FROM UNNEST(\(page.map(\.0))::text[], \(page.map(\.1))::bigint[],
                  \(page.map { Int64(CoverageReadModel.hardware(ofStored: $0.2).rawValue) })::bigint[]) AS v (device_id, seq, hardware)
                WHERE i.device_id = v.device_id AND i.seq = v.seq
                """, logger: logger)
            after = (last.0, last.1)
        }
    }

    public func coverageReadModel(from: Int64, through: Int64) async throws -> CoverageReadModel.Window {
        let logger = logger
        return try await transaction { c in
            try await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var placements: [CoverageReadModel.Placement] = []
            for try await (device, room, seen, revoked) in try await c.query(
                "SELECT id, room_id, last_seen_at, revoked_at FROM devices ORDER BY id", logger: logger
            ).decode((String, String?, Int64?, Int64?).self) {
                placements.append(
                    CoverageReadModel.Placement(deviceID: device, roomID: room, lastSeenAt: seen, revokedAt: revoked))
            }
            var inventories: [CoverageReadModel.HardwareRow] = []
            for try await (device, seq, at, stored, json) in try await c.query(
                """
                SELECT device_id, seq, at, hardware, CASE WHEN hardware IS NULL THEN inventory END FROM coverage_inventories
                WHERE at >= \(from) AND at <= \(through)
                """,
                logger: logger
            ).decode((String, Int64, Int64, Int64?, String?).self) {
                // NULL only in a row some older collector wrote after the migration: read its JSON.
                let hardware =
                    stored.map { HardwareSummary(rawValue: UInt8(truncatingIfNeeded: $0)) }
                    ?? CoverageReadModel.hardware(ofStored: json ?? "")
                inventories.append(CoverageReadModel.HardwareRow(deviceID: device, seq: seq, at: at, hardware: hardware))
            }
            var hours: [CoverageReadModel.HourRow] = []
            for try await (device, hour, lastAt, contacts, active) in try await c.query(
                """
                SELECT device_id, hour, last_at, CASE WHEN last_at > \(through) THEN contacts END, active FROM coverage_hours
                WHERE hour >= \(CoverageReadModel.hourOf(from)) AND hour <= \(CoverageReadModel.hourOf(through))
                """, logger: logger
            ).decode((String, Int64, Int64, ByteBuffer?, ByteBuffer?).self) {
                hours.append(
                    CoverageReadModel.HourRow(
                        deviceID: device, hour: hour, lastAt: lastAt, contacts: contacts.map(Self.bytes),
                        active: active.map(Self.bytes)))
            }
            return CoverageReadModel.Window(
                from: from, through: through, hours: hours, inventories: inventories, placements: placements)
        }
    }
}
