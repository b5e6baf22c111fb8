import ClassroomCore
import ClassroomWire
import Foundation
import Logging

/// The coverage report's read models, kept by both stores in the transaction that stores the events
/// (``CollectorStore/ingest(_:deviceID:at:clockSkewMillis:)``, ``CollectorStore/appendEvents(_:)``) and
/// back-filled from the stored events by their migrations, so that ``CoverageEvidenceReader`` reads small
/// tables instead of every event body of its window:
///
/// - `coverage_inventories` (migration `v600-read-models`): one row per `inventory_snapshot` /
///   `inventory_change` whose body decodes, its inventory re-encoded (`device_id, seq` key, like the event),
///   and (migration `v660-coverage-hardware`) its ``HardwareSummary`` in `hardware`, which is all a report
///   reads of it (a window never decodes an inventory).
/// - `coverage_hours` (migration `v640-coverage-hours`, which replaced v600's `coverage_days`): one row per
///   device and UTC hour of the events' corrected time `at` (`hour = floor(at / 3,600,000)`): `last_at`, the
///   latest contact (inventory, heartbeat, or a usage minute whose fields are all present); `contacts`, the
///   hour's distinct contact times; `active`, the hour's **active** usage minutes (display on with touch or
///   speech, the only ones the usage rate reads), `start` already on the collector's clock (the batch's
///   skew). Both lists are packed little-endian binary (``Packed``): 8 bytes a contact, 32 an active minute.
///   An upload rewrites only the rows of the hours its events fall in (at most ~60 minutes and the hour's
///   heartbeats each), never a whole day's lists.
///
/// Rows are per device, never per room: a registry re-import or a device moved to another room needs
/// no rebuild (the reader maps devices to rooms as of the window's end). Merges are set unions and
/// maxima, so applying a stored event twice changes nothing; when a batch had duplicates the stored
/// versions of its events are applied, never an ignored re-send.
///
/// A window `from…end` reads the hour rows of `floor(from / hour)…floor(end / hour)`: an hour wholly
/// inside the window counts whole (its `last_at`, all its active minutes); the one or two hours cut by the
/// window's ends are filtered by each entry's `at`, and `contacts` is read only when `last_at` is after
/// the end (a trend point in the past), so the answer is exactly that of folding the raw events.
public enum CoverageReadModel {
    static let hour: Int64 = 3_600_000
    static let logger = Logger(label: "classroomfleet.collector.coverage-read-model")

    /// The first read models. Its `coverage_days` table is dropped by ``hoursMigration`` (which back-fills
    /// its replacement), so its back-fill fills only `coverage_inventories`.
    static let migration = CollectorSchema.Migration(
        name: "v600-read-models",
        statements: [
            """
            CREATE TABLE coverage_inventories (device_id TEXT NOT NULL, seq {INT} NOT NULL, at {INT} NOT NULL,
              inventory TEXT NOT NULL, PRIMARY KEY (device_id, seq))
            """,
            "CREATE INDEX coverage_inventories_at ON coverage_inventories (at)",
            """
            CREATE TABLE coverage_days (device_id TEXT NOT NULL, day {INT} NOT NULL, last_at {INT} NOT NULL,
              contacts TEXT NOT NULL, active TEXT NOT NULL, PRIMARY KEY (device_id, day))
            """,
            "CREATE INDEX coverage_days_day ON coverage_days (day)",
        ],
        backfill: .coverageInventories)

    /// Per device-hour rows instead of per device-day: an upload rewrites one hour's lists, not the day's.
    /// An empty list may be stored as NULL (SQLite binds an empty blob as NULL).
    static let hoursMigration = CollectorSchema.Migration(
        name: "v640-coverage-hours",
        statements: [
            """
            CREATE TABLE coverage_hours (device_id TEXT NOT NULL, hour {INT} NOT NULL, last_at {INT} NOT NULL,
              contacts {BLOB}, active {BLOB}, PRIMARY KEY (device_id, hour))
            """,
            "CREATE INDEX coverage_hours_hour ON coverage_hours (hour)",
            "DROP TABLE coverage_days",
        ],
        backfill: .coverageHours)

    /// The hardware summary of each stored inventory, so that a report reads a small integer per device
    /// instead of decoding its inventory's JSON (a fifth of the province report's time before).
    static let hardwareMigration = CollectorSchema.Migration(
        name: "v660-coverage-hardware",
        statements: ["ALTER TABLE coverage_inventories ADD COLUMN hardware {INT}"],
        backfill: .coverageHardware)

    /// SQLite: the hour rows clustered by device (`WITHOUT ROWID`, key `device_id, hour`), so that a window
    /// reads each device's hours as one range, in the devices' order, and the reader adds them by index
    /// instead of hashing a device id per row (a province's week is 4.2 million rows). A window seeks once
    /// per enrolled device whatever the history's length. The index on `hour` goes with the old table.
    /// PostgreSQL keeps its table (its reader matches rows by id); nothing to do there.
    static let clusteredHoursMigration = CollectorSchema.Migration(
        name: "v670-coverage-hours-by-device",
        statements: [
            """
            CREATE TABLE coverage_hours_by_device (device_id TEXT NOT NULL, hour {INT} NOT NULL, last_at {INT} NOT NULL,
              contacts {BLOB}, active {BLOB}, PRIMARY KEY (device_id, hour)) WITHOUT ROWID
            """,
            """
            INSERT INTO coverage_hours_by_device (device_id, hour, last_at, contacts, active)
              SELECT device_id, hour, last_at, contacts, active FROM coverage_hours ORDER BY device_id, hour
            """,
            "DROP TABLE coverage_hours",
            "ALTER TABLE coverage_hours_by_device RENAME TO coverage_hours",
        ],
        postgresStatements: [])

    /// The summary of a stored inventory's JSON (the `inventory` column); an empty one when it does not
    /// decode (the collector wrote it, so only a damaged row: it then proves no hardware).
    static func hardware(ofStored json: String) -> HardwareSummary {
        (try? JSONDecoder().decode(HardwareInventory.self, from: Data(json.utf8))).map(HardwareSummary.init) ?? []
    }

    /// Kinds that count as a contact; the inventory kinds also carry an inventory. Arrays of four and
    /// two: ``isContact(_:)`` compares, it does not hash, once per stored event.
    static let kinds = ["inventory_snapshot", "inventory_change", "heartbeat", "usage_minute"]
    static let inventoryKinds = ["inventory_snapshot", "inventory_change"]

    /// Whether `kind` is one of ``kinds``.
    @inline(__always)
    static func isContact(_ kind: String) -> Bool { kinds.contains(kind) }

    /// The UTC hour of `at` (floor division, so a negative `at` falls in the hour before zero); total.
    static func hourOf(_ at: Int64) -> Int64 {
        let (q, r) = at.quotientAndRemainder(dividingBy: hour)
        return r < 0 ? q - 1 : q
    }

    /// The first and last millisecond of hour `h`. The first and last hours of the clock reach past
    /// `Int64`: theirs are bounds within `Int64` that still hold every `at` of the hour (so "wholly inside
    /// a window" stays true only when it is).
    static func bounds(ofHour h: Int64) -> (first: Int64, last: Int64) {
        let (first, o1) = h.multipliedReportingOverflow(by: hour)
        guard !o1 else { return h < 0 ? (.min, .min + hour - 1) : (.max - hour + 1, .max) }
        let (last, o2) = first.addingReportingOverflow(hour - 1)
        return (first, o2 ? .max : last)
    }

    /// One active usage minute: its event's corrected time, and the minute on the collector's clock.
    public struct Active: Sendable, Hashable, Comparable {
        public var at: Int64
        public var start: Int64
        public var touches: Int64
        public var speech: Double

        public static func < (a: Active, b: Active) -> Bool {
            (a.at, a.start, a.touches, a.speech) < (b.at, b.start, b.touches, b.speech)
        }
    }

    /// What a device's hour holds.
    struct Hour: Sendable, Hashable {
        var lastAt: Int64
        var contacts: Set<Int64> = []
        var active: Set<Active> = []

        init(lastAt: Int64) { self.lastAt = lastAt }

        mutating func merge(_ other: Hour) {
            lastAt = max(lastAt, other.lastAt)
            contacts.formUnion(other.contacts)
            active.formUnion(other.active)
        }

        var contactsBytes: [UInt8] { Packed.contacts(contacts.sorted()) }
        var activeBytes: [UInt8] { Packed.active(active.sorted()) }

        /// Parses the stored columns (written by ``contactsBytes`` and ``activeBytes``; nil is empty);
        /// nil when either is malformed.
        init?(lastAt: Int64, contacts: [UInt8]?, active: [UInt8]?) {
            guard let c = Packed.contacts(contacts ?? []), let a = Packed.active(active ?? []) else { return nil }
            self.lastAt = lastAt
            self.contacts = Set(c)
            self.active = Set(a)
        }

        /// The stored row `key` merged into this new one; a malformed stored row is logged and its lists
        /// dropped (they could not be read anyway), its `last_at` kept.
        mutating func merge(stored key: HourKey, lastAt: Int64, contacts: [UInt8]?, active: [UInt8]?) {
            if let stored = Hour(lastAt: lastAt, contacts: contacts, active: active) {
                merge(stored)
            } else {
                CoverageReadModel.logger.warning(
                    "coverage_hours row is malformed; its lists are replaced",
                    metadata: ["device_id": "\(key.deviceID)", "hour": "\(key.hour)"])
                self.lastAt = max(self.lastAt, lastAt)
            }
        }
    }

    struct HourKey: Sendable, Hashable, Comparable {
        var deviceID: String
        var hour: Int64

        static func < (a: HourKey, b: HourKey) -> Bool { (a.deviceID, a.hour) < (b.deviceID, b.hour) }
    }

    /// The stored lists' encoding: little-endian `Int64`s, a contact as its `at`, an active minute as
    /// `at, start, touches` and the bit pattern of `speech` (32 bytes). A length that is not a whole
    /// number of entries is malformed (nil).
    enum Packed {
        static func contacts(_ values: [Int64]) -> [UInt8] {
            values.map(\.littleEndian).withUnsafeBytes { Array($0) }
        }

        static func active(_ values: [Active]) -> [UInt8] {
            var words: [UInt64] = []
            words.reserveCapacity(values.count * 4)
            for v in values {
                words += [
                    UInt64(bitPattern: v.at), UInt64(bitPattern: v.start), UInt64(bitPattern: v.touches), v.speech.bitPattern,
                ]
            }
            return words.map(\.littleEndian).withUnsafeBytes { Array($0) }
        }

        static func contacts(_ bytes: [UInt8]) -> [Int64]? { bytes.withUnsafeBytes { contacts($0) } }

        static func active(_ bytes: [UInt8]) -> [Active]? { bytes.withUnsafeBytes { active($0) } }

        static func contacts(_ raw: UnsafeRawBufferPointer) -> [Int64]? {
            guard raw.count % 8 == 0 else { return nil }
            return (0..<(raw.count / 8)).map { contact(raw, $0) }
        }

        static func active(_ raw: UnsafeRawBufferPointer) -> [Active]? {
            guard raw.count % 32 == 0 else { return nil }
            return (0..<(raw.count / 32)).map { active(raw, $0) }
        }

        /// Entry `i` of a contacts list whose length was checked.
        @inline(__always)
        static func contact(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Int64 {
            Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
        }

        /// Entry `i` of an active-minutes list whose length was checked.
        @inline(__always)
        static func active(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Active {
            func word(_ offset: Int) -> UInt64 {
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 32 + offset, as: UInt64.self))
            }
            return Active(
                at: Int64(bitPattern: word(0)), start: Int64(bitPattern: word(8)), touches: Int64(bitPattern: word(16)),
                speech: Double(bitPattern: word(24)))
        }
    }

    /// One stored inventory; `inventory` is the JSON of a ``HardwareInventory``, `hardware` its summary.
    public struct Inventory: Sendable, Hashable {
        public var deviceID: String
        public var seq: Int64
        public var at: Int64
        public var inventory: String
        public var hardware: HardwareSummary
    }

    /// One stored inventory as a window reads it: its summary, not its JSON.
    public struct HardwareRow: Sendable, Hashable {
        public var deviceID: String
        public var seq: Int64
        public var at: Int64
        public var hardware: HardwareSummary
    }

    /// What a batch of stored events adds to the read models.
    struct Batch: Sendable {
        var inventories: [Inventory] = []
        var hours: [HourKey: Hour] = [:]

        /// `inventories: false` leaves out the inventories (a back-fill of the hour rows only).
        init(_ events: [StoredEvent], inventories withInventories: Bool = true) {
            let decoder = JSONDecoder()
            // An upload's events are one device's, mostly in one hour: they are gathered in `current`
            // while their hour lasts, one dictionary merge per hour instead of a `Hour` and a hash per event.
            var current: (key: HourKey, hour: Hour)?
            var hours: [HourKey: Hour] = [:]
            func add(_ e: StoredEvent, active: Active?) {
                let hour = CoverageReadModel.hourOf(e.at)
                if let c = current, c.key.hour != hour || c.key.deviceID != e.deviceID {
                    hours[c.key, default: Hour(lastAt: c.hour.lastAt)].merge(c.hour)
                    current = nil
                }
                if current == nil { current = (HourKey(deviceID: e.deviceID, hour: hour), Hour(lastAt: e.at)) }
                current!.hour.lastAt = max(current!.hour.lastAt, e.at)
                current!.hour.contacts.insert(e.at)
                if let active { current!.hour.active.insert(active) }
            }
            for e in events where CoverageReadModel.isContact(e.kind) {
                if e.kind == "usage_minute" {
                    // The fields the usage rate reads; a body missing one is no contact (as the raw reader had it).
                    guard let m = try? decoder.decode(UsageBody.self, from: Data(e.body.utf8)).usageMinute else { continue }
                    // Onto the collector's clock, like the event's own time; a start that does not fit is left out.
                    let (skew, o1) = e.at.subtractingReportingOverflow(e.agentAt)
                    let (start, o2) = m.minuteStart.addingReportingOverflow(skew)
                    let minute = UsageMinute(
                        minuteStart: start, displayOn: m.displayOn, touchEvents: m.touchEvents, speechSeconds: m.speechSeconds,
                        meanDBFS: nil, peakDBFS: nil, clippingRatio: 0, devicesPresent: DevicesPresent())
                    let active =
                        !o1 && !o2 && minute.isActive
                        ? Active(at: e.at, start: start, touches: Int64(m.touchEvents), speech: m.speechSeconds) : nil
                    add(e, active: active)
                    continue
                }
                add(e, active: nil)
                guard withInventories, CoverageReadModel.inventoryKinds.contains(e.kind),
                    let event = try? decoder.decode(AgentEvent.self, from: Data(e.body.utf8)),
                    let inventory = event.body.inventory, let json = try? Self.encoder.encode(inventory)
                else { continue }
                inventories.append(
                    Inventory(
                        deviceID: e.deviceID, seq: e.seq, at: e.at, inventory: String(decoding: json, as: UTF8.self),
                        hardware: HardwareSummary(inventory)))
            }
            if let c = current { hours[c.key, default: Hour(lastAt: c.hour.lastAt)].merge(c.hour) }
            self.hours = hours
        }

        private static var encoder: JSONEncoder {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return encoder
        }
    }

    /// The four fields of a `usage_minute` body the usage rate reads.
    struct UsageBody: Decodable {
        struct Minute: Decodable {
            var minuteStart: Int64
            var displayOn: Bool
            var touchEvents: Int
            var speechSeconds: Double

            enum CodingKeys: String, CodingKey {
                case minuteStart = "minute_start"
                case displayOn = "display_on"
                case touchEvents = "touch_events"
                case speechSeconds = "speech_seconds"
            }
        }

        var usageMinute: Minute

        enum CodingKeys: String, CodingKey { case usageMinute = "usage_minute" }
    }

    /// One stored hour row as a window reads it; `contacts` only when `lastAt` is after the window's end.
    struct HourRow: Sendable {
        var deviceID: String
        var hour: Int64
        var lastAt: Int64
        var contacts: [UInt8]?
        var active: [UInt8]?
    }

    /// An enrolled device as a window reads it: its room, when it was last heard from and whether revoked.
    public struct Placement: Sendable, Hashable {
        public var deviceID: String
        public var roomID: String?
        public var lastSeenAt: Int64?
        public var revokedAt: Int64?
    }

    /// What a window holds of one device: its latest contact, its latest inventory (by `at`, then `seq`)
    /// and its active usage minutes.
    public struct DeviceWindow: Sendable {
        public var lastSeen: Int64?
        public var hardware: HardwareRow?
        public var active: [Active] = []
    }

    /// What a window `from…through` holds: every enrolled device's placement (read in the same
    /// transaction as the rows) and, at the same index, its ``DeviceWindow``. A store that reads its rows
    /// in the placements' order adds them by index (``addHour(device:hour:lastAt:contacts:active:)``): no
    /// hash of a device id per row. Rows of a device that is not placed are not read (no room counts them).
    public struct Window: Sendable {
        public let from: Int64
        public let through: Int64
        public private(set) var placements: [Placement] = []
        /// What the window holds of `placements[i]`'s device, at index `i`.
        public private(set) var devices: [DeviceWindow] = []
        /// Hour rows skipped because a list did not parse (each logged).
        public var malformedRows = 0

        /// The windows by device id, for tests (the report walks ``placements`` and ``devices`` together).
        public var byDevice: [String: DeviceWindow] {
            Dictionary(zip(placements.map(\.deviceID), devices)) { first, _ in first }
        }
        public var lastSeen: [String: Int64] { byDevice.compactMapValues(\.lastSeen) }
        public var inventories: [String: HardwareRow] { byDevice.compactMapValues(\.hardware) }
        public var active: [String: [Active]] { byDevice.compactMapValues { $0.active.isEmpty ? nil : $0.active } }

        init(from: Int64, through: Int64) {
            self.from = from
            self.through = through
        }

        /// The window of rows read in any order: each is matched to its placement by device id.
        init(from: Int64, through: Int64, hours: [HourRow], inventories: [HardwareRow], placements: [Placement]) {
            self.init(from: from, through: through)
            for p in placements { place(p) }
            let index = indices()
            for i in inventories {
                if let d = index[i.deviceID] { add(i, device: d) }
            }
            for row in hours {
                guard let d = index[row.deviceID] else { continue }
                let contacts = row.contacts ?? []
                let active = row.active ?? []
                contacts.withUnsafeBytes { c in
                    active.withUnsafeBytes { a in
                        addHour(device: d, hour: row.hour, lastAt: row.lastAt, contacts: c, active: a)
                    }
                }
            }
        }

        /// Adds an enrolled device; its index is the count of placements before it.
        mutating func place(_ p: Placement) {
            placements.append(p)
            devices.append(DeviceWindow())
        }

        /// Appends the placements and device windows of `other` (the same window's next range of devices,
        /// read on its own connection) after this one's.
        mutating func append(_ other: Window) {
            if placements.isEmpty {
                placements = other.placements
                devices = other.devices
            } else {
                placements += other.placements
                devices += other.devices
            }
            malformedRows += other.malformedRows
        }

        /// The index of each placed device id.
        func indices() -> [String: Int] {
            var out: [String: Int] = [:]
            out.reserveCapacity(placements.count)
            for (i, p) in placements.enumerated() { out[p.deviceID] = i }
            return out
        }

        /// A stored inventory of placed device `d`: counted when inside the window and the device's latest so far.
        mutating func add(_ i: HardwareRow, device d: Int) {
            guard i.at >= from && i.at <= through else { return }
            if let l = devices[d].hardware, (l.at, l.seq) > (i.at, i.seq) { return }
            devices[d].hardware = i
        }

        /// A stored hour row of placed device `d` (its lists as stored; `contacts` read only when `lastAt`
        /// is after the window).
        mutating func addHour(
            device d: Int, hour: Int64, lastAt: Int64, contacts: UnsafeRawBufferPointer, active: UnsafeRawBufferPointer
        ) {
            let (first, last) = CoverageReadModel.bounds(ofHour: hour)
            let whole = first >= from && last <= through
            let readContacts = lastAt > through
            guard active.count % 32 == 0, !readContacts || contacts.count % 8 == 0 else {
                malformedRows += 1
                CoverageReadModel.logger.warning(
                    "coverage_hours row is malformed; skipped",
                    metadata: ["device_id": "\(placements[d].deviceID)", "hour": "\(hour)"])
                return
            }
            var seen: Int64? = nil
            if readContacts {
                for i in 0..<(contacts.count / 8) {
                    let c = Packed.contact(contacts, i)
                    if c >= from && c <= through { seen = max(seen ?? c, c) }
                }
            } else if lastAt >= from {
                seen = lastAt
            }
            let minutes = active.count / 32
            guard seen != nil || minutes > 0 else { return }
            let from = from
            let through = through
            devices[d].absorb(seen: seen) { list in
                for i in 0..<minutes {
                    let m = Packed.active(active, i)
                    if whole || (m.at >= from && m.at <= through) { list.append(m) }
                }
            }
        }
    }
}

extension CoverageReadModel.DeviceWindow {
    @inline(__always)
    mutating func absorb(seen: Int64?, _ minutes: (inout [CoverageReadModel.Active]) -> Void) {
        if let seen { lastSeen = max(lastSeen ?? seen, seen) }
        minutes(&active)
    }
}
