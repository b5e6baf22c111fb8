import ClassroomCore
import Foundation
import GRDB

extension CollectorSQLiteStore {
    public func devicePage(_ q: DevicePageQuery) async throws -> DevicePage {
        let versions = try q.agentVersions.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let schools = try q.schoolIDs.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        return try await pool.read { db in
            // Every filter is a parameter (NULL when unused), so there is one statement text to prepare.
            let filter = """
                (?1 IS NULL OR d.school_id = ?1)
                AND (?2 IS NULL OR d.revoked_at IS NOT NULL OR d.last_seen_at IS NULL OR d.last_seen_at < ?2)
                AND (?3 = 0 OR d.cameras = 0) AND (?4 = 0 OR d.microphones = 0)
                AND (?5 IS NULL OR d.agent_version IN (SELECT value FROM json_each(?5)))
                AND (?6 = 0 OR d.revoked_at IS NULL) AND (?9 IS NULL OR d.id = ?9)
                AND (?10 IS NULL OR d.school_id IN (SELECT value FROM json_each(?10)))
                """
            // Both statements take all ten (SQLite counts up to the highest number used).
            let arguments: StatementArguments = [
                q.schoolID, q.offlineBefore, q.noCamera, q.noMicrophone, versions, q.activeOnly, q.after, q.limit, q.deviceID,
                schools,
            ]
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM devices d WHERE \(filter) AND (?7 IS NULL OR 1) AND (?8 IS NULL OR 1)",
                    arguments: arguments) ?? 0
            let page = arguments
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, s.name AS school_name, r.name AS room_name FROM devices d
                    LEFT JOIN schools s ON s.id = d.school_id LEFT JOIN rooms r ON r.id = d.room_id
                    WHERE \(filter) AND (?7 IS NULL OR d.id > ?7) ORDER BY d.id LIMIT ?8
                    """,
                arguments: page)
            return DevicePage(
                devices: rows.map {
                    DeviceListing(
                        device: Self.device($0), cameras: $0["cameras"], microphones: $0["microphones"],
                        schoolName: $0["school_name"], roomName: $0["room_name"])
                }, total: total)
        }
    }

    public func agentVersions(schoolID: String?) async throws -> [String: Int] {
        try await pool.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT agent_version, COUNT(*) AS n FROM devices WHERE revoked_at IS NULL AND (?1 IS NULL OR school_id = ?1)
                    GROUP BY agent_version
                    """, arguments: [schoolID])
            {
                out[row["agent_version"]] = row["n"]
            }
            return out
        }
    }

    public func deviceCounts(schoolID: String?, onlineSince: Int64) async throws -> [String: DeviceCounts] {
        try await pool.read { db in
            var out: [String: DeviceCounts] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT school_id, COUNT(*) AS n, SUM(CASE WHEN last_seen_at >= ?2 THEN 1 ELSE 0 END) AS up FROM devices
                    WHERE revoked_at IS NULL AND (?1 IS NULL OR school_id = ?1) GROUP BY school_id
                    """, arguments: [schoolID, onlineSince])
            {
                out[row["school_id"]] = DeviceCounts(total: row["n"], online: row["up"])
            }
            return out
        }
    }

    /// Keeps the hardware read-model: the counts of a device's newest inventory, never an older one.
    static func updateHardware(_ db: Database, _ events: [StoredEvent]) throws {
        for u in DeviceHardwareUpdate.latest(in: events) {
            try db.execute(
                sql: """
                    UPDATE devices SET cameras = ?, microphones = ?, inventory_seq = ?
                    WHERE id = ? AND (inventory_seq IS NULL OR inventory_seq <= ?)
                    """, arguments: [u.cameras, u.microphones, u.seq, u.deviceID, u.seq])
        }
    }
}
