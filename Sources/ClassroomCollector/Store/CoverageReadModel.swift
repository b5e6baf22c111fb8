import ClassroomCore
import ClassroomWire
import Foundation

/// The coverage report's read models, kept by both stores in the transaction that stores the events
/// (``CollectorStore/ingest(_:deviceID:at:clockSkewMillis:)``, ``CollectorStore/appendEvents(_:)``) and
/// back-filled from the stored events by migration `v600-read-models`, so that
/// ``CoverageEvidenceReader`` reads small tables instead of every event body of its window:
///
/// - `coverage_inventories`: one row per `inventory_snapshot` / `inventory_change` whose body decodes,
///   its inventory re-encoded (`device_id, seq` key, like the event).
/// - `coverage_days`: one row per device and UTC day of the events' corrected time `at`
///   (`day = floor(at / 86,400,000)`): `last_at`, the latest contact (inventory, heartbeat, or a usage
///   minute whose fields are all present); `contacts`, the day's distinct contact times; `active`, the
///   day's **active** usage minutes (display on with touch or speech, the only ones the usage rate reads)
///   as `at:start:touches:speech`, `start` already on the collector's clock (the batch's skew).
///
/// Rows are per device, never per room: a registry re-import or a device moved to another room needs
/// no rebuild (the reader maps devices to rooms as of the window's end). Merges are set unions and
/// maxima, so applying a stored event twice changes nothing; when a batch had duplicates the stored
/// versions of its events are applied, never an ignored re-send.
///
/// A window `from…end` reads the day rows of `floor(from / day)…floor(end / day)`: a day wholly inside
/// the window counts whole (its `last_at`, all its active minutes); the one or two days cut by the
/// window's ends are filtered by each entry's `at`, and `contacts` is read only when `last_at` is after
/// the end (a trend point in the past), so the answer is exactly that of folding the raw events.
public enum CoverageReadModel {
    static let day: Int64 = 86_400_000

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
        ])

    /// Kinds that count as a contact; the inventory kinds also carry an inventory.
    static let kinds: Set<String> = ["inventory_snapshot", "inventory_change", "heartbeat", "usage_minute"]
    static let inventoryKinds: Set<String> = ["inventory_snapshot", "inventory_change"]

    static func dayOf(_ at: Int64) -> Int64 { at >= 0 ? at / day : -((-at + day - 1) / day) }

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

    /// What a device's day holds.
    struct Day: Sendable, Hashable {
        var lastAt: Int64
        var contacts: Set<Int64> = []
        var active: Set<Active> = []

        init(lastAt: Int64) { self.lastAt = lastAt }

        mutating func merge(_ other: Day) {
            lastAt = max(lastAt, other.lastAt)
            contacts.formUnion(other.contacts)
            active.formUnion(other.active)
        }

        var contactsText: String { contacts.sorted().map(String.init).joined(separator: ",") }
        var activeText: String {
            active.sorted().map { "\($0.at):\($0.start):\($0.touches):\($0.speech)" }.joined(separator: ",")
        }

        /// Parses the stored columns (written by ``contactsText`` and ``activeText``).
        init(lastAt: Int64, contacts: String, active: String) {
            self.lastAt = lastAt
            self.contacts = Set(Self.contacts(contacts))
            self.active = Set(Self.active(active))
        }

        static func contacts(_ text: String) -> [Int64] { text.split(separator: ",").compactMap { Int64($0) } }

        static func active(_ text: String) -> [Active] {
            text.split(separator: ",").compactMap { entry in
                let f = entry.split(separator: ":")
                guard f.count == 4, let at = Int64(f[0]), let start = Int64(f[1]), let touches = Int64(f[2]),
                    let speech = Double(f[3])
                else { return nil }
                return Active(at: at, start: start, touches: touches, speech: speech)
            }
        }
    }

    struct DayKey: Sendable, Hashable, Comparable {
        var deviceID: String
        var day: Int64

        static func < (a: DayKey, b: DayKey) -> Bool { (a.deviceID, a.day) < (b.deviceID, b.day) }
    }

    /// One stored inventory; `inventory` is the JSON of a ``HardwareInventory``.
    public struct Inventory: Sendable, Hashable {
        public var deviceID: String
        public var seq: Int64
        public var at: Int64
        public var inventory: String
    }

    /// What a batch of stored events adds to the read models.
    struct Batch: Sendable {
        var inventories: [Inventory] = []
        var days: [DayKey: Day] = [:]

        init(_ events: [StoredEvent]) {
            let decoder = JSONDecoder()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for e in events where CoverageReadModel.kinds.contains(e.kind) {
                if e.kind == "usage_minute" {
                    // The fields the usage rate reads; a body missing one is no contact (as the raw reader had it).
                    guard let m = try? decoder.decode(UsageBody.self, from: Data(e.body.utf8)).usageMinute else { continue }
                    var d = Day(lastAt: e.at)
                    d.contacts.insert(e.at)
                    // Onto the collector's clock, like the event's own time; a start that does not fit is left out.
                    let (skew, o1) = e.at.subtractingReportingOverflow(e.agentAt)
                    let (start, o2) = m.minuteStart.addingReportingOverflow(skew)
                    let minute = UsageMinute(
                        minuteStart: start, displayOn: m.displayOn, touchEvents: m.touchEvents, speechSeconds: m.speechSeconds,
                        meanDBFS: nil, peakDBFS: nil, clippingRatio: 0, devicesPresent: DevicesPresent())
                    if !o1, !o2, minute.isActive {
                        d.active.insert(Active(at: e.at, start: start, touches: Int64(m.touchEvents), speech: m.speechSeconds))
                    }
                    add(e, d)
                    continue
                }
                var d = Day(lastAt: e.at)
                d.contacts.insert(e.at)
                add(e, d)
                guard CoverageReadModel.inventoryKinds.contains(e.kind),
                    let event = try? decoder.decode(AgentEvent.self, from: Data(e.body.utf8))
                else { continue }
                let inventory: HardwareInventory
                switch event.body {
                case .inventorySnapshot(let i): inventory = i
                case .inventoryChange(let c): inventory = c.inventory
                default: continue
                }
                guard let json = try? encoder.encode(inventory) else { continue }
                inventories.append(
                    Inventory(deviceID: e.deviceID, seq: e.seq, at: e.at, inventory: String(decoding: json, as: UTF8.self)))
            }
        }

        private mutating func add(_ e: StoredEvent, _ d: Day) {
            days[DayKey(deviceID: e.deviceID, day: CoverageReadModel.dayOf(e.at)), default: Day(lastAt: e.at)].merge(d)
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

    /// One stored day row as a window reads it; `contacts` only when `lastAt` is after the window's end.
    struct DayRow: Sendable {
        var deviceID: String
        var day: Int64
        var lastAt: Int64
        var contacts: String?
        var active: String
    }

    /// What a window `from…through` holds per device: the latest contact, the latest inventory (by
    /// `at`, then `seq`) and the active usage minutes.
    public struct Window: Sendable {
        public var lastSeen: [String: Int64] = [:]
        public var inventories: [String: Inventory] = [:]
        public var active: [String: [Active]] = [:]

        init(from: Int64, through: Int64, days: [DayRow], inventories: [Inventory]) {
            for i in inventories where i.at >= from && i.at <= through {
                if let l = self.inventories[i.deviceID], (l.at, l.seq) > (i.at, i.seq) { continue }
                self.inventories[i.deviceID] = i
            }
            for row in days {
                let start = row.day * CoverageReadModel.day
                let whole = start >= from && start + CoverageReadModel.day - 1 <= through
                let seen: Int64?
                if row.lastAt > through {
                    seen = Day.contacts(row.contacts ?? "").filter { $0 >= from && $0 <= through }.max()
                } else {
                    seen = row.lastAt >= from ? row.lastAt : nil
                }
                if let seen { lastSeen[row.deviceID] = max(lastSeen[row.deviceID] ?? seen, seen) }
                let minutes = Day.active(row.active)
                active[row.deviceID, default: []].append(
                    contentsOf: whole ? minutes : minutes.filter { $0.at >= from && $0.at <= through })
            }
        }
    }
}
