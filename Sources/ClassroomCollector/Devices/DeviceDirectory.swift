import ClassroomCore
import ClassroomWire
import Foundation

/// One page of the device list, filtered and paged by the database (a county of 300,000 devices is
/// never loaded at once).
public protocol DeviceDirectoryStore: Sendable {
    /// Devices matching `query`, ordered by id, at most `query.limit` of them after `query.after`,
    /// with how many match in all.
    func devicePage(_ query: DevicePageQuery) async throws -> DevicePage
    /// Every agent version enrolled devices report, with how many devices report it.
    func agentVersions(schoolID: String?) async throws -> [String: Int]
    /// Unrevoked devices per school (all schools, or one), and how many were heard from since `onlineSince`.
    func deviceCounts(schoolID: String?, onlineSince: Int64) async throws -> [String: DeviceCounts]
}

/// A school's unrevoked devices and how many of them are online.
public struct DeviceCounts: Sendable, Hashable {
    public var total: Int
    public var online: Int

    public init(total: Int, online: Int) {
        self.total = total
        self.online = online
    }
}

/// The filters and the window of ``DeviceDirectoryStore/devicePage(_:)``.
public struct DevicePageQuery: Sendable, Hashable {
    /// Only this school's devices (always set for a school admin).
    public var schoolID: String?
    /// Only devices of these schools (a county admin's county, `county=`); nil for every school.
    public var schoolIDs: [String]?
    /// Only devices offline at this time (milliseconds): revoked, never heard from, or not since.
    public var offlineBefore: Int64?
    /// Only devices whose latest inventory has no camera.
    public var noCamera = false
    /// Only devices whose latest inventory has no microphone.
    public var noMicrophone = false
    /// Leave revoked devices out.
    public var activeOnly = false
    /// Only devices reporting one of these agent versions (the outdated ones).
    public var agentVersions: [String]?
    /// Only the device with this id (its listing, with the names of its school and room).
    public var deviceID: String?
    /// Keyset paging: devices whose id sorts after this one.
    public var after: String?
    public var limit: Int

    public init(schoolID: String? = nil, limit: Int) {
        self.schoolID = schoolID
        self.limit = limit
    }
}

/// A device as listed, with the hardware of its latest inventory (nil before the first one).
public struct DeviceListing: Sendable, Hashable {
    public var device: DeviceRecord
    public var cameras: Int?
    public var microphones: Int?
    /// The names of the device's school and room in the registry (nil when not there).
    public var schoolName: String?
    public var roomName: String?

    public init(
        device: DeviceRecord, cameras: Int? = nil, microphones: Int? = nil, schoolName: String? = nil, roomName: String? = nil
    ) {
        self.device = device
        self.cameras = cameras
        self.microphones = microphones
        self.schoolName = schoolName
        self.roomName = roomName
    }
}

/// A page of ``DeviceListing``s and the number of devices matching the filters in all.
public struct DevicePage: Sendable, Hashable {
    public var devices: [DeviceListing]
    public var total: Int
}

/// The hardware read-model the store keeps per device at ingest: camera and microphone counts of the
/// device's newest inventory (snapshot or change, by `seq`), so that the device list filters in SQL.
struct DeviceHardwareUpdate: Sendable, Hashable {
    var deviceID: String
    var seq: Int64
    var cameras: Int
    var microphones: Int

    static let kinds: Set<String> = ["inventory_snapshot", "inventory_change"]

    /// The newest inventory per device among `events`; events that fail to decode are skipped (the
    /// collector decoded them once already; the read-model must never block ingest).
    static func latest(in events: [StoredEvent]) -> [DeviceHardwareUpdate] {
        var latest: [String: DeviceHardwareUpdate] = [:]
        let decoder = JSONDecoder()
        for e in events where kinds.contains(e.kind) {
            if let l = latest[e.deviceID], l.seq > e.seq { continue }
            guard let event = try? decoder.decode(AgentEvent.self, from: Data(e.body.utf8)), let inventory = event.body.inventory
            else { continue }
            latest[e.deviceID] = DeviceHardwareUpdate(
                deviceID: e.deviceID, seq: e.seq, cameras: inventory.cameras.count, microphones: inventory.microphones.count)
        }
        return latest.values.sorted { $0.deviceID < $1.deviceID }
    }
}

/// The read-model's columns, after the coverage index in ``CollectorSchema/migrations``. A device
/// enrolled before this migration gets its counts with its next inventory.
enum DeviceDirectorySchema {
    static let migration = CollectorSchema.Migration(
        name: "v400-device-hardware",
        statements: [
            "ALTER TABLE devices ADD COLUMN cameras {INT}",
            "ALTER TABLE devices ADD COLUMN microphones {INT}",
            "ALTER TABLE devices ADD COLUMN inventory_seq {INT}",
        ])

    /// Fills the hardware read-model of devices whose inventories were all stored before
    /// ``migration`` (the counts of their newest inventory event, by `seq`, as ingest keeps them), so
    /// that spot-check eligibility, which reads only these counts, knows them before their next inventory.
    static let hardwareBackfill = CollectorSchema.Migration(
        name: "v650-device-hardware-backfill",
        statements: [
            """
            UPDATE devices SET inventory_seq = (SELECT MAX(seq) FROM events WHERE events.device_id = devices.id
              AND kind IN ('inventory_snapshot', 'inventory_change'))
            WHERE inventory_seq IS NULL
            """,
            """
            UPDATE devices SET
              cameras = (SELECT json_array_length(body, CASE kind WHEN 'inventory_snapshot' THEN '$.inventory.cameras'
                ELSE '$.inventory.inventory.cameras' END) FROM events WHERE events.device_id = devices.id AND seq = devices.inventory_seq
                AND kind IN ('inventory_snapshot', 'inventory_change')),
              microphones = (SELECT json_array_length(body, CASE kind WHEN 'inventory_snapshot' THEN '$.inventory.microphones'
                ELSE '$.inventory.inventory.microphones' END) FROM events WHERE events.device_id = devices.id
                AND seq = devices.inventory_seq AND kind IN ('inventory_snapshot', 'inventory_change'))
            WHERE inventory_seq IS NOT NULL AND cameras IS NULL
            """,
        ],
        postgresStatements: [
            """
            UPDATE devices SET inventory_seq = (SELECT MAX(seq) FROM events WHERE events.device_id = devices.id
              AND kind IN ('inventory_snapshot', 'inventory_change'))
            WHERE inventory_seq IS NULL
            """,
            """
            UPDATE devices SET cameras = jsonb_array_length(x.inventory -> 'cameras'),
              microphones = jsonb_array_length(x.inventory -> 'microphones')
            FROM (SELECT e.device_id, CASE e.kind WHEN 'inventory_snapshot' THEN e.body::jsonb -> 'inventory'
                    ELSE e.body::jsonb -> 'inventory' -> 'inventory' END AS inventory
                  FROM events e JOIN devices d ON e.device_id = d.id AND e.seq = d.inventory_seq
                  WHERE d.cameras IS NULL AND e.kind IN ('inventory_snapshot', 'inventory_change')) x
            WHERE devices.id = x.device_id
            """,
        ])
}
