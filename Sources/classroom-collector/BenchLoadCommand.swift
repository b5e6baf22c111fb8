import ArgumentParser
import ClassroomCollector
import ClassroomCore
import ClassroomSamples
import ClassroomWire
import Foundation

/// `classroom-collector bench-load` (hidden): fills a store with a synthetic province for the
/// coverage benchmark (`scripts/bench/coverage-province.sh`), through the store's own API.
///
/// The registry is ``SampleCounty`` (what `classroomctl registry sample` writes), the agents'
/// evidence ``SampleEvidence`` turned into the events real agents upload: one inventory snapshot per
/// device and the usage minutes of the week, appended in batches like the ingest path does. Devices
/// beyond one per reporting room are second machines in the same rooms (a recording host beside the
/// blackboard), reporting the same inventory.
struct BenchLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-load",
        abstract: "Benchmark only: load a synthetic province (registry, devices, a week of agent events) into the database.",
        shouldDisplay: false)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Schools of the synthetic province.")
    var schools = 20_000

    @Option(help: "Seed of the registry and of the simulated agents.")
    var seed: UInt64 = 1

    @Option(help: "Enrolled devices (at least one per room whose simulated agent reports).")
    var devices = 300_000

    @Option(help: "The week's last day, YYYY-MM-DD: evidence lies in the 7 days before its end.")
    var at: String

    @Option(help: "The county's time zone.")
    var timeZone = "Asia/Shanghai"

    func run() async throws {
        guard let day = LocalDate(parsing: at) else { throw ValidationError("--at '\(at)': expected YYYY-MM-DD") }
        let zone = try CountyTimeZone.named(timeZone)
        let clock = ContinuousClock()
        let started = clock.now
        var generated = SampleCounty(schools: schools, seed: seed).generate()
        // The benchmark measures a full week of lessons whatever --at is, holidays or not.
        generated.calendar = nil
        let registry = generated
        let (evidence, inventories, usage) = SampleEvidence(seed: seed).agents(for: registry, at: day, zone: zone)
        print(
            "generated \(registry.schools.count) schools, \(registry.rooms.count) rooms, \(registry.lessons.count) lessons: "
                + "\(clock.now - started)")
        let loader = BenchLoader(
            registry: registry, evidence: evidence, inventories: inventories, usage: usage, devices: devices)
        try await withStore(database.database) { store in
            try await store.migrate()
            var t = clock.now
            let audit = AuditEntry(
                at: 0, actor: "bench", action: "registry.import", target: "registry", schoolID: nil, detail: "")
            _ = try await store.replaceRegistry(registry, audit: audit)
            print("registry stored: \(clock.now - t)")
            t = clock.now
            let enrolled = try await loader.enroll(store)
            print("\(enrolled) devices enrolled: \(clock.now - t)")
            t = clock.now
            let events = try await loader.appendEvents(store)
            print("\(events) events appended: \(clock.now - t)")
        }
    }
}

/// The synthetic province's devices and events, written through ``CollectorStore``.
struct BenchLoader: Sendable {
    let registry: Registry
    let evidence: CoverageEvidence
    let inventories: [String: HardwareInventory]
    /// The usage minutes each room's agent reported (``SampleEvidence/agents(for:at:zone:windowDays:)``).
    let usage: [String: [UsageMinute]]
    let devices: Int

    /// Device ids per reporting room: `dev-<room>`, then `dev-<room>-2` for the extra machines.
    var plan: [(device: String, room: String)] {
        let reporting = registry.rooms.map(\.id).filter { evidence.rooms[$0] != nil }
        var out = reporting.map { (device: "dev-\($0)", room: $0) }
        var i = 0
        while out.count < devices, !reporting.isEmpty {
            out.append(
                (device: "dev-\(reporting[i % reporting.count])-\(i / reporting.count + 2)", room: reporting[i % reporting.count])
            )
            i += 1
        }
        return out
    }

    func enroll(_ store: any CollectorStore) async throws -> Int {
        let schoolOf = Dictionary(uniqueKeysWithValues: registry.rooms.map { ($0.id, $0.schoolID) })
        var perSchool: [String: Int] = [:]
        for entry in plan { perSchool[schoolOf[entry.room] ?? "", default: 0] += 1 }
        let audit = AuditEntry(at: 0, actor: "bench", action: "enroll", target: "bench", schoolID: nil, detail: "")
        for (school, count) in perSchool {
            try await store.insertEnrollmentToken(
                EnrollmentTokenRecord(
                    id: "bench-\(school)", schoolID: school, secretHash: "bench-\(school)", maxUses: count,
                    expiresAt: .max, createdAt: 0, createdBy: "bench"),
                audit: audit)
        }
        // Through the store's own enrolment, as agents enrol, but several at once: one at a time, each
        // its own committed transaction, took 465 s for the province's 300,000 devices on PostgreSQL. A
        // school's devices stay with one worker, so that no two wait on the same token's row.
        let workers = Self.enrolmentWorkers
        var shares = [[(device: String, room: String, school: String)]](repeating: [], count: workers)
        var worker: [String: Int] = [:]
        for entry in plan {
            let school = schoolOf[entry.room] ?? ""
            let w = worker[school] ?? (worker.count % workers)
            worker[school] = w
            shares[w].append((entry.device, entry.room, school))
        }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for share in shares {
                group.addTask {
                    for entry in share {
                        let device = DeviceRecord(
                            id: entry.device, schoolID: entry.school, roomID: entry.room, hostname: entry.device,
                            agentVersion: "0.1.0", publicKey: "", credentialHash: "bench-\(entry.device)", enrolledAt: 0)
                        guard
                            case .enrolled = try await store.enroll(
                                tokenHash: "bench-\(entry.school)", roomID: entry.room, device: device, now: 0)
                        else { throw ValidationError("\(entry.device): enrollment refused") }
                    }
                    return share.count
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// How many enrolments run at once.
    static let enrolmentWorkers = 8

    /// Every device's inventory snapshot, and the room's usage minutes from its first device, appended
    /// in time order (as a live collector receives them, so the table's row order follows time).
    func appendEvents(_ store: any CollectorStore) async throws -> Int {
        let encoder = JSONEncoder()
        var all: [StoredEvent] = []
        func add(_ device: String, _ seq: Int64, _ at: Int64, _ body: AgentEventBody) throws {
            let json = try encoder.encode(AgentEvent(seq: seq, at: at, body: body))
            all.append(
                StoredEvent(
                    deviceID: device, seq: seq, kind: body.kind, agentAt: at, at: at, receivedAt: at,
                    body: String(decoding: json, as: UTF8.self)))
        }
        for entry in plan {
            guard let room = evidence.rooms[entry.room], let inventory = inventories[entry.room] else { continue }
            let seen = Int64(((room.inventoryAt ?? room.lastSeen ?? Date()).timeIntervalSince1970 * 1000).rounded())
            try add(entry.device, 1, seen, .inventorySnapshot(inventory))
            if entry.device == "dev-\(entry.room)" {
                for (i, minute) in (usage[entry.room] ?? []).enumerated() {
                    try add(entry.device, Int64(i + 2), minute.minuteStart, .usageMinute(minute))
                }
            }
        }
        all.sort { ($0.at, $0.deviceID, $0.seq) < ($1.at, $1.deviceID, $1.seq) }
        var total = 0
        var start = 0
        while start < all.count {
            let end = min(start + 20_000, all.count)
            total += try await store.appendEvents(Array(all[start..<end])).inserted
            start = end
        }
        return total
    }
}
