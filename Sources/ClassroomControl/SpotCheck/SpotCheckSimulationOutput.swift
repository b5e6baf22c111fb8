import ClassroomCore
import ClassroomSamples

/// What `spotcheck simulate` prints: as JSON (`--json`) or as text for a bureau reader.
struct SimulationOutput: Encodable {
    struct Eligible: Encodable {
        var rooms: Int
        var teachers: Int
        var schools: Int
        var lessons: Int
        var basis: String
    }

    struct Order: Encodable {
        var teacherID, schoolID, roomID: String
        var weekday: Int
        var start, end: String
        var subject: String
        var round: Int

        enum CodingKeys: String, CodingKey {
            case weekday, start, end, subject, round
            case teacherID = "teacher_id"
            case schoolID = "school_id"
            case roomID = "room_id"
        }
    }

    struct Week: Encodable {
        var week: String
        /// The round the week ends in.
        var round: Int
        var newRoundStarted: Bool
        var shortfall: Int
        var orders: [Order]
        /// Present with --reveal-out: the commitment of the written reveal.
        var commitment: String?

        enum CodingKeys: String, CodingKey {
            case week, round, shortfall, orders, commitment
            case newRoundStarted = "new_round_started"
        }
    }

    /// A week of the simulation without a school day: no draw.
    struct NoSchool: Encodable {
        var week: String
        var kind: String
        var reason: String
    }

    var startWeek: String
    var count: Int
    var beacon: String
    var eligible: Eligible
    var weeks: [Week]
    var noSchoolWeeks: [NoSchool]
    var rounds: [SpotCheckSimulation.Round]
    var shortfallWeeks: Int
    private var schoolsWithTeachers: Int
    private var names: [String: String]

    enum CodingKeys: String, CodingKey {
        case count, beacon, eligible, weeks, rounds
        case startWeek = "start_week"
        case noSchoolWeeks = "no_school_weeks"
        case shortfallWeeks = "shortfall_weeks"
    }

    init(
        start: ISOWeek, count: Int, beacon: String, allRooms: Bool, registry: Registry, rooms: Set<String>,
        snapshot: SpotCheckSnapshot, results: [SpotCheckResult], noSchool: [NoSchoolWeek] = [],
        commitments: [ISOWeek: String]
    ) {
        startWeek = start.description
        self.count = count
        self.beacon = beacon
        eligible = Eligible(
            rooms: rooms.count, teachers: snapshot.teachers.count, schools: snapshot.schoolCount,
            lessons: snapshot.lessonCount, basis: allRooms ? "all rooms" : "recording classrooms")
        weeks = results.map { r in
            Week(
                week: r.week.description, round: r.roundsAfter.round, newRoundStarted: r.newRoundStarted, shortfall: r.shortfall,
                orders: r.orders.map {
                    Order(
                        teacherID: $0.teacherID, schoolID: $0.schoolID, roomID: $0.roomID, weekday: $0.weekday,
                        start: $0.start.description, end: $0.end.description, subject: $0.subject, round: $0.round)
                }, commitment: commitments[r.week])
        }
        noSchoolWeeks = noSchool.map { NoSchool(week: $0.week.description, kind: $0.kind.rawValue, reason: $0.reason) }
        rounds = SpotCheckSimulation.rounds(of: results)
        shortfallWeeks = results.filter { $0.shortfall > 0 }.count
        schoolsWithTeachers = Set(registry.teachers.map(\.schoolID)).count
        // Names only for the text output: a bureau reads names, scripts read ids.
        let ordered = Set(results.flatMap { $0.orders.map(\.teacherID) })
        names = Dictionary(
            registry.teachers.lazy.filter { ordered.contains($0.id) }.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    static let weekdays = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    var text: String {
        var lines = [
            "Spot-check simulation: \(weeks.count + noSchoolWeeks.count) week(s) from \(startWeek), \(count) per week, "
                + "beacon '\(beacon)'",
            "  eligible (\(eligible.basis)): \(eligible.teachers) teachers in \(eligible.schools) of \(schoolsWithTeachers) "
                + "schools, \(eligible.rooms) rooms, \(eligible.lessons) lessons a week",
        ]
        // Weeks in calendar order, those without school among them.
        var entries: [(key: String, drawn: Week?, off: NoSchool?)] = weeks.map { ($0.week, $0, nil) }
        entries += noSchoolWeeks.map { ($0.week, nil, $0) }
        entries.sort { $0.key < $1.key }
        for entry in entries {
            if let off = entry.off {
                lines.append("\(off.week)  no school day (\(off.reason)): no draw")
                continue
            }
            guard let w = entry.drawn else { continue }
            var head = "\(w.week)  round \(w.round)  \(w.orders.count) order(s)"
            if w.newRoundStarted { head += "  — round \(w.round) started this week" }
            if w.shortfall > 0 { head += "  — short by \(w.shortfall)" }
            lines.append(head)
            // By lesson time, as a bureau plans its week; the JSON keeps the draw order.
            for o in w.orders.sorted(by: { ($0.weekday, $0.start, $0.schoolID) < ($1.weekday, $1.start, $1.schoolID) }) {
                lines.append(
                    "  \(o.schoolID)  \(o.teacherID) \(names[o.teacherID] ?? "")  \(o.roomID)  "
                        + "\(Self.weekdays[o.weekday]) \(o.start)–\(o.end)  \(o.subject)"
                        + (o.round != w.round ? "  (round \(o.round))" : ""))
            }
        }
        lines.append("Rounds")
        for r in rounds {
            lines.append(
                "  round \(r.round)  \(r.firstWeek) … \(r.lastWeek)  \(r.weeks) week(s)  \(r.teachersDrawn) of \(eligible.teachers) "
                    + "teachers drawn" + (r.ended ? "" : "  (still running)"))
        }
        if shortfallWeeks == 0 {
            lines.append("Shortfall: none")
        } else {
            lines.append(
                "Shortfall: \(shortfallWeeks) week(s) short of \(count): only \(eligible.schools) school(s) have eligible teachers"
            )
        }
        return lines.joined(separator: "\n")
    }
}
