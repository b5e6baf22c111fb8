import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {
    public func devicePage(_ q: DevicePageQuery) async throws -> DevicePage {
        let school = q.schoolID
        let offline = q.offlineBefore
        let versions = q.agentVersions
        let schools = q.schoolIDs
        let total =
            try await rows(
                """
                SELECT count(*) AS n FROM devices d WHERE (\(school)::text IS NULL OR d.school_id = \(school))
                AND (\(schools)::text[] IS NULL OR d.school_id = ANY(\(schools)))
                AND (\(offline)::bigint IS NULL OR d.revoked_at IS NOT NULL OR d.last_seen_at IS NULL OR d.last_seen_at < \(offline))
                AND (NOT \(q.noCamera) OR d.cameras = 0) AND (NOT \(q.noMicrophone) OR d.microphones = 0)
                AND (\(versions)::text[] IS NULL OR d.agent_version = ANY(\(versions)))
                AND (NOT \(q.activeOnly) OR d.revoked_at IS NULL) AND (\(q.deviceID)::text IS NULL OR d.id = \(q.deviceID))
                """
            ).first.map { try $0["n"].decode(Int64.self) } ?? 0
        let page = try await rows(
            """
            SELECT d.*, s.name AS school_name, r.name AS room_name FROM devices d
            LEFT JOIN schools s ON s.id = d.school_id LEFT JOIN rooms r ON r.id = d.room_id
            WHERE (\(school)::text IS NULL OR d.school_id = \(school))
            AND (\(schools)::text[] IS NULL OR d.school_id = ANY(\(schools)))
            AND (\(offline)::bigint IS NULL OR d.revoked_at IS NOT NULL OR d.last_seen_at IS NULL OR d.last_seen_at < \(offline))
            AND (NOT \(q.noCamera) OR d.cameras = 0) AND (NOT \(q.noMicrophone) OR d.microphones = 0)
            AND (\(versions)::text[] IS NULL OR d.agent_version = ANY(\(versions)))
            AND (NOT \(q.activeOnly) OR d.revoked_at IS NULL) AND (\(q.deviceID)::text IS NULL OR d.id = \(q.deviceID))
            AND (\(q.after)::text IS NULL OR d.id > \(q.after)) ORDER BY d.id LIMIT \(Int64(q.limit))
            """)
        return DevicePage(
            devices: try page.map {
                DeviceListing(
                    device: try Self.device($0), cameras: try $0["cameras"].decode(Int64?.self).map(Int.init),
                    microphones: try $0["microphones"].decode(Int64?.self).map(Int.init),
                    schoolName: try $0["school_name"].decode(String?.self), roomName: try $0["room_name"].decode(String?.self))
            }, total: Int(total))
    }

    public func agentVersions(schoolID: String?) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await rows(
            """
            SELECT agent_version, count(*) AS n FROM devices
            WHERE revoked_at IS NULL AND (\(schoolID)::text IS NULL OR school_id = \(schoolID)) GROUP BY agent_version
            """)
        {
            out[try row["agent_version"].decode(String.self)] = Int(try row["n"].decode(Int64.self))
        }
        return out
    }

    public func deviceCounts(schoolID: String?, onlineSince: Int64) async throws -> [String: DeviceCounts] {
        var out: [String: DeviceCounts] = [:]
        for row in try await rows(
            """
            SELECT school_id, count(*) AS n, count(*) FILTER (WHERE last_seen_at >= \(onlineSince)) AS up FROM devices
            WHERE revoked_at IS NULL AND (\(schoolID)::text IS NULL OR school_id = \(schoolID)) GROUP BY school_id
            """)
        {
            out[try row["school_id"].decode(String.self)] = DeviceCounts(
                total: Int(try row["n"].decode(Int64.self)), online: Int(try row["up"].decode(Int64.self)))
        }
        return out
    }

    /// Keeps the hardware read-model: the counts of a device's newest inventory, never an older one,
    /// inside the ingest transaction `c`.
    static func updateHardware(_ c: PostgresConnection, _ events: [StoredEvent], logger: Logger) async throws {
        for u in DeviceHardwareUpdate.latest(in: events) {
            try await c.query(
                """
                UPDATE devices SET cameras = \(Int64(u.cameras)), microphones = \(Int64(u.microphones)), inventory_seq = \(u.seq)
                WHERE id = \(u.deviceID) AND (inventory_seq IS NULL OR inventory_seq <= \(u.seq))
                """, logger: logger)
        }
    }
}
