import ArgumentParser
import ClassroomCore
import ClassroomSamples
import Foundation

/// `classroomctl spotcheck simulate`: the draw over consecutive weeks on a registry folder, offline.
struct SpotCheckSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the draw offline over consecutive weeks on a registry folder, to see how long a round takes.",
        discussion: """
            No collector and no devices: recording classrooms (kind 'recording') count as live-capable, \
            or every room with --all-rooms. A teacher is eligible with at least one lesson in such a \
            room; the lesson called is one of those. With the registry's calendar.csv only lessons on \
            school days count, and a week without a school day is not drawn (it says so).

            The beacon of every simulated week is 'simulate seed=SEED', followed by ' beacon=TEXT' when \
            --beacon is given; the same options always give the same draws.

            Exit status: 0 after the simulation, 1 when the registry cannot be read or has problems.
            """
    )

    @Option(help: "The registry folder (schools.csv, rooms.csv, teachers.csv, timetable.csv).")
    var registry: String

    @Option(help: "Number of consecutive weeks to draw (1–520).")
    var weeks: Int

    @Option(help: "Simulation seed (any text); part of every week's beacon.")
    var seed: String

    @Option(help: "First week, as 2026-W48 (default: the current week in Asia/Shanghai).")
    var startWeek: String?

    @Option(help: "Teachers (from as many schools) to call per week.")
    var count: Int = 20

    @Option(help: "Extra beacon text mixed into every week's seed.")
    var beacon: String?

    @Flag(help: "Treat every room as live-capable, not only recording classrooms.")
    var allRooms = false

    @Flag(help: "Print {\"weeks\": [{\"week\", \"round\", \"orders\": [...]}], \"rounds\": [...], …} as JSON.")
    var json = false

    @Option(help: "Write each week's reveal document (WEEK.json, with a random salt) into this folder, for 'spotcheck verify'.")
    var revealOut: String?

    @Flag(help: "Print phase timings (registry load, eligibility snapshot, draws) to standard error.")
    var timings = false

    func validate() throws {
        guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 520") }
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000") }
        if let startWeek, ISOWeek(parsing: startWeek) == nil {
            throw ValidationError("--start-week '\(startWeek)' is not an ISO week such as 2026-W48")
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        let t0 = clock.now
        let loaded: LoadedRegistry
        do {
            loaded = try RegistryFolder.load(registry)
        } catch let error as RegistryProblems {
            for p in error.problems { printError("\(p)") }
            printError(
                "\(registry): \(error.problems.count) problem(s) in the registry; fix them with 'classroomctl registry check'")
            throw ExitCode(1)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let reg = loaded.registry
        let t1 = clock.now
        let start = startWeek.flatMap { ISOWeek(parsing: $0) } ?? Self.currentWeek()
        let rooms = allRooms ? SpotCheckEligibility.allRooms(of: reg) : SpotCheckEligibility.recordingRooms(of: reg)
        // The eligible figures of a full timetable week; each simulated week keeps its own school days.
        var timetableWeek = reg
        timetableWeek.calendar = nil
        let eligibleTeachers = SpotCheckEligibility(week: start, eligibleRooms: rooms).teachers(of: timetableWeek)
        let tFilter = clock.now
        let snapshot = SpotCheckEligibility.snapshot(of: eligibleTeachers)
        let t2 = clock.now

        let beaconText = "simulate seed=\(seed)" + (beacon.map { " beacon=\($0)" } ?? "")
        let simulation = SpotCheckSimulation(registry: reg, eligibleRooms: rooms, count: count, beacon: { _ in beaconText })
        var noSchool: [NoSchoolWeek] = []
        if let revealOut { try FileManager.default.createDirectory(atPath: revealOut, withIntermediateDirectories: true) }
        var drawTimes: [Duration] = []
        var commitments: [ISOWeek: String] = [:]
        var system = SystemRandomNumberGenerator()
        var last = clock.now
        let results = try simulation.run(from: start, weeks: weeks) { input, result in
            drawTimes.append(clock.now - last)
            defer { last = clock.now }
            guard let revealOut else { return }
            let reveal = SpotCheckReveal(input: input, result: result, salt: SpotCheckCommitment.salt(using: &system))
            commitments[input.week] = reveal.commitment
            let path = (revealOut as NSString).appendingPathComponent("\(input.week).json")
            guard FileManager.default.createFile(atPath: path, contents: try Self.encoder.encode(reveal)) else {
                throw CLIError("\(path): cannot write")
            }
        } skipped: {
            noSchool.append($0)
        }
        let t3 = clock.now

        let output = SimulationOutput(
            start: start, count: count, beacon: beaconText, allRooms: allRooms, registry: reg, rooms: rooms,
            snapshot: snapshot, results: results, noSchool: noSchool, commitments: commitments)
        if json { printJSON(output) } else { print(output.text) }
        if timings {
            let sorted = drawTimes.sorted()
            printError(
                "timings: registry load \(RegistrySample.seconds(t1 - t0)), eligible lessons "
                    + "\(RegistrySample.seconds(tFilter - t1)), snapshot (sort, SHA-256) \(RegistrySample.seconds(t2 - tFilter)), "
                    + "\(weeks) draw(s) \(RegistrySample.seconds(t3 - t2)) "
                    + "(median \(Self.ms(sorted[sorted.count / 2])) ms, max \(Self.ms(sorted.last!)) ms per week); "
                    + "\(snapshot.teachers.count) eligible teachers, \(snapshot.lessonCount) eligible lessons")
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func ms(_ d: Duration) -> String {
        let us = d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000
        return "\(us / 1000).\(String(format: "%03d", Int(us % 1000)))"
    }

    /// The ISO week of today in the county's default zone (Asia/Shanghai, UTC+8 without a tz database).
    static func currentWeek(now: Date = Date()) -> ISOWeek {
        let zone = (try? CountyTimeZone.named("Asia/Shanghai")) ?? CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
        return ISOWeek(containing: zone.localTime(of: now).date)
    }
}
