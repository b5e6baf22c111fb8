/// Everything a draw depends on; the same input always gives the same ``SpotCheckResult``.
public struct SpotCheckDrawInput: Sendable, Hashable {
    public var week: ISOWeek
    /// Teachers (and so schools) to call; 20 in the Luxi plan.
    public var count: Int
    public var beacon: String
    public var snapshot: SpotCheckSnapshot
    /// The rotation before this week.
    public var rounds: SpotCheckRoundState

    public init(week: ISOWeek, count: Int = 20, beacon: String, snapshot: SpotCheckSnapshot, rounds: SpotCheckRoundState) {
        self.week = week
        self.count = count
        self.beacon = beacon
        self.snapshot = snapshot
        self.rounds = rounds
    }
}

/// One called lesson: a teacher, their school, and the lesson of the week chosen for them.
public struct SpotCheckOrder: Codable, Sendable, Hashable {
    /// The round the teacher was drawn in.
    public var round: Int
    public var teacherID: String
    public var schoolID: String
    public var roomID: String
    public var weekday: Int
    public var start: TimeOfDay
    public var end: TimeOfDay
    public var subject: String

    public init(
        round: Int, teacherID: String, schoolID: String, roomID: String, weekday: Int, start: TimeOfDay, end: TimeOfDay,
        subject: String
    ) {
        self.round = round
        self.teacherID = teacherID
        self.schoolID = schoolID
        self.roomID = roomID
        self.weekday = weekday
        self.start = start
        self.end = end
        self.subject = subject
    }

    enum CodingKeys: String, CodingKey {
        case round, weekday, start, end, subject
        case teacherID = "teacher_id"
        case schoolID = "school_id"
        case roomID = "room_id"
    }
}

/// What a draw decided, in selection order, with the seed it used and the rotation after it.
public struct SpotCheckResult: Sendable, Hashable {
    public var week: ISOWeek
    public var count: Int
    public var seed: [UInt8]
    public var orders: [SpotCheckOrder]
    /// `count` minus the number of orders: fewer schools had eligible teachers than `count`.
    public var shortfall: Int
    /// True when the week started a new round (the previous one could not fill it).
    public var newRoundStarted: Bool
    public var roundsAfter: SpotCheckRoundState
}

/// The weekly spot-check draw of ARCHITECTURE.md §6, step by step as docs/spotcheck-draw.md §4 says.
public enum SpotCheckDraw {
    public static func run(_ input: SpotCheckDrawInput) -> SpotCheckResult {
        let teachers = input.snapshot.teachers
        let seed = SpotCheckSeed.derive(
            week: input.week, snapshotDigest: input.snapshot.digest, count: input.count, rounds: input.rounds,
            beacon: input.beacon)
        var random = SpotCheckRandom(seed: seed)
        let count = max(0, input.count)
        // What any round could reach this week: one teacher per school with an eligible teacher.
        let target = min(count, input.snapshot.schoolCount)

        var chosen: [Int] = []  // indices into `teachers`, in selection order
        var chosenRound: [Int] = []
        var schoolsUsed: Set<String> = []
        func take(from pool: [Int], round: Int) {
            var order = pool
            random.shuffle(&order)
            for i in order where chosen.count < count && schoolsUsed.insert(teachers[i].schoolID).inserted {
                chosen.append(i)
                chosenRound.append(round)
            }
        }

        // Teachers of the current round not drawn yet, in canonical order.
        let remaining = teachers.indices.filter { !input.rounds.drawn.contains(teachers[$0].id) }
        take(from: remaining, round: input.rounds.round)
        var after = input.rounds
        after.drawn.formUnion(chosen.map { teachers[$0].id })
        var newRound = false
        if chosen.count < target {
            // The round cannot fill the week: a new round starts, without those chosen this week.
            newRound = true
            let firstOfNewRound = chosen.count
            let chosenSet = Set(chosen)
            take(from: teachers.indices.filter { !chosenSet.contains($0) }, round: input.rounds.round + 1)
            after = SpotCheckRoundState(
                round: input.rounds.round + 1, drawn: Set(chosen[firstOfNewRound...].map { teachers[$0].id }))
        }

        // One eligible lesson per chosen teacher, in selection order, with the same generator.
        var orders: [SpotCheckOrder] = []
        orders.reserveCapacity(chosen.count)
        for (k, i) in chosen.enumerated() {
            let t = teachers[i]
            let l = t.lessons[random.bounded(t.lessons.count)]
            orders.append(
                SpotCheckOrder(
                    round: chosenRound[k], teacherID: t.id, schoolID: t.schoolID, roomID: l.roomID, weekday: l.weekday,
                    start: l.start, end: l.end, subject: l.subject))
        }
        return SpotCheckResult(
            week: input.week, count: input.count, seed: seed, orders: orders, shortfall: count - orders.count,
            newRoundStarted: newRound, roundsAfter: after)
    }
}
